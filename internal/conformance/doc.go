// Package conformance is the differential test of fakequay against real
// Quay: the same requests, in the same order, sent to a real Quay and to a
// fakequay holding the same state (a snapshot of that Quay, read through
// its API by fakequay/snapshot), and the answers compared.
//
// A Plan is the deterministic request list: every operation fakequay
// serves with valid input, the bad-input classes of fakequay's bad-input
// corpus (missing, extra and wrongly typed fields, malformed bodies,
// unknown ids, page limits 0, 1, 100, 101, -1 and abc, trailing-slash and
// wrong-method variants), each with every caller identity (a superuser, a
// normal user, a global read-only superuser, a superuser token without
// super:user, no token, an invalid token). Reads run first, a few at a
// time, against the starting state; writes then run one at a time in plan
// order, each sent to both servers at once.
//
// Compare puts two answers side by side: the status, every header but the
// server's own (Server, Date, Connection and the framing headers), and the
// body, JSON value by value with its key order and its formatting. Before
// that it normalises only what is random by nature: values a step captured
// (the kid of a key the run created, the uuid of its message), generated
// passwords and private keys, the RSA modulus of a key the run created,
// page tokens, database ids in log metadata, the random name of a deleted
// namespace, and times stamped during the run (equal within a tolerance). The order
// of aggregated log counts, which Quay leaves to the database, is sorted,
// and so are the methods of an Allow header, which werkzeug takes from a
// set.
//
// Classify sorts the differences left: those this Quay cannot judge (its
// werkzeug 500 page, SQLite's errors, the test-mode build-log stub, nginx
// in front of the fake) and known differences the README lists are
// counted apart; every other difference fails the test.
package conformance
