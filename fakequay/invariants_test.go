package fakequay

import (
	"errors"
	"fmt"

	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// serverInvariants returns what is wrong with s after any sequence of
// requests: a panic was recovered, the store breaks a schema rule
// (store.Reader.CheckInvariants: unique names, one quota per namespace,
// logs and tokens that resolve), or a log view shows a namespace or
// performer that no longer resolves, or hides one that does (a purged
// namespace is null in views, §1.9).
func serverInvariants(s *Server) error {
	var errs []error
	if n := s.Panics(); n != 0 {
		errs = append(errs, fmt.Errorf("%d requests panicked", n))
	}
	rd := s.store.Read()
	if err := rd.CheckInvariants(); err != nil {
		errs = append(errs, err)
	}
	rd.AllLogs(func(e *store.LogEntry) bool {
		v := logEntryView(rd, e)
		_, account := rd.NamespaceByID(e.AccountID)
		_, performer := rd.NamespaceByID(e.PerformerID)
		if account != (v.Namespace != nil) {
			errs = append(errs, fmt.Errorf("log %d: account %d resolves %v, view shows a namespace %v",
				e.ID, e.AccountID, account, v.Namespace != nil))
		}
		if performer != (v.Performer != nil) {
			errs = append(errs, fmt.Errorf("log %d: performer %d resolves %v, view shows a performer %v",
				e.ID, e.PerformerID, performer, v.Performer != nil))
		}
		return true
	})
	return errors.Join(errs...)
}
