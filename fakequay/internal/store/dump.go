package store

// Redactor is implemented by rows that hold secrets: Dump shows the value
// Redacted returns instead of the row.
type Redactor interface{ Redacted() any }

// Redacted returns t with its bearer value hidden.
func (t *Token) Redacted() any {
	c := *t
	c.Secret = "REDACTED"
	return &c
}

// Dump returns every row of every table, by table name, in id order, with
// secrets redacted: the dev stub's state endpoint. The hash indexes of the
// namespaces table are not rows of the model and are left out.
func (r Reader) Dump() map[string][]any {
	out := map[string][]any{}
	for _, table := range tableSchemas {
		name := table().Name
		rows := []any{}
		add := func(row any) bool {
			if red, ok := row.(Redactor); ok {
				row = red.Redacted()
			}
			rows = append(rows, row)
			return true
		}
		switch {
		case derivedTables[name]:
			continue
		case name == tableLogs:
			r.AllLogs(func(e *LogEntry) bool { return add(e) })
		default:
			r.eachRow(name, add)
		}
		out[name] = rows
	}
	return out
}

// eachRow calls fn for each row of table in its primary key's order until
// fn returns false; the namespaces table's rows are its namespaces, in id
// order.
func (r Reader) eachRow(table string, fn func(row any) bool) {
	if table == tableNamespaces {
		r.AllNamespaces(func(n *Namespace) bool { return fn(n) })
		return
	}
	iterate(mustIter(r.txn.Get(table, indexID)), fn)
}
