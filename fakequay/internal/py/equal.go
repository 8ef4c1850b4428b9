package py

// Equal is Python's a == b for decoded values: numbers compare by value
// across int, float and bool (True == 1 == 1.0), NaN equals nothing, lists
// compare element by element, dicts by their key/value pairs whatever the
// order, and values of different kinds are unequal.
func Equal(a, b any) bool {
	a, b = canonical(a), canonical(b)
	if isNumber(a) && isNumber(b) {
		return numbersEqual(a, b)
	}
	switch a := a.(type) {
	case nil:
		return b == nil
	case string:
		s, ok := b.(string)
		return ok && a == s
	case []any:
		l, ok := b.([]any)
		if !ok || len(a) != len(l) {
			return false
		}
		for i := range a {
			if !Equal(a[i], l[i]) {
				return false
			}
		}
		return true
	case *Object:
		o, ok := b.(*Object)
		if !ok || a.Len() != o.Len() {
			return false
		}
		for k, v := range a.All() {
			w, ok := o.Get(k)
			if !ok || !Equal(v, w) {
				return false
			}
		}
		return true
	}
	return false
}

// isNumber reports whether a canonical value is a Python number; bool is one,
// since bool is a subclass of int.
func isNumber(v any) bool {
	switch v.(type) {
	case bool, Int, float64:
		return true
	}
	return false
}

func numbersEqual(a, b any) bool {
	if f, ok := a.(float64); ok {
		if g, ok := b.(float64); ok {
			return f == g
		}
		return asInt(b).equalFloat(f)
	}
	if g, ok := b.(float64); ok {
		return asInt(a).equalFloat(g)
	}
	return asInt(a).Cmp(asInt(b)) == 0
}

// asInt converts a bool or Int to an Int (True is 1).
func asInt(v any) Int {
	switch v := v.(type) {
	case bool:
		if v {
			return NewInt(1)
		}
		return NewInt(0)
	case Int:
		return v
	}
	return Int{}
}
