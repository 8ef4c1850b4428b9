#!/usr/bin/env bash
# make conformance: real Quay judges fakequay.
#
# Sets up real Quay from ../shared/realquay (Quay's own source, SQLite, Debian
# packages; see its README), or uses an installation already set up in
# $REALQUAY_DIR, adds the fixtures the live suite reads (fixtures.py), starts
# it on free loopback ports and runs the contract suite against it
# (TestLiveQuay) with every variable filled from the harness, the
# differential test (internal/conformance) and the image pushes of
# fakequay/internal/image. The servers are stopped on every exit path.
# Exits non-zero if any case fails.
#
#   REALQUAY_SRC   the harness folder (default: ../shared/realquay beside the repository)
#   REALQUAY_DIR   an installation setup.sh already made (skips setup.sh)
#   REALQUAY_ROOT  where to install when REALQUAY_DIR is unset (default: $TMPDIR/go-quay-realquay)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
GO="${GO:-go}"
T0=$(date +%s)
say() { echo "[conformance +$(($(date +%s) - T0))s] $*"; }

# 1. Real Quay, set up ----------------------------------------------------------------
if [ -n "${REALQUAY_DIR:-}" ]; then
  ROOT="$(cd "$REALQUAY_DIR" && pwd)"
  [ -x "$ROOT/run.sh" ] || { echo "conformance: REALQUAY_DIR=$ROOT has no run.sh: run setup.sh there first" >&2; exit 2; }
else
  SRC="${REALQUAY_SRC:-$REPO/../shared/realquay}"
  [ -f "$SRC/setup.sh" ] || { echo "conformance: no real Quay harness at $SRC (set REALQUAY_SRC or REALQUAY_DIR)" >&2; exit 2; }
  ROOT="${REALQUAY_ROOT:-${TMPDIR:-/tmp}/go-quay-realquay}"
  say "setting up real Quay in $ROOT"
  bash "$SRC/setup.sh" "$ROOT" | sed 's/^/  /'
fi
say "real Quay ready to start ($ROOT)"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/go-quay-conformance.XXXXXX")"
PIDS=()
# On failure the run's logs (go test -json streams, the servers' logs) are
# kept in $CONFORMANCE_LOGS for a closer look.
LOGS="${CONFORMANCE_LOGS:-${TMPDIR:-/tmp}/go-quay-conformance-logs}"
stop() {
  local code=$?
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$code" != 0 ]; then
    rm -rf "$LOGS" && mkdir -p "$LOGS" && cp "$WORK"/* "$LOGS"/ 2>/dev/null
    echo "conformance: the run's logs are in $LOGS"
  fi
  rm -rf "$WORK"
}
trap stop EXIT
trap 'exit 130' INT TERM

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# quay_env runs a command in the environment run.sh gives Quay, on database $1.
quay_env() {
  local db="$1"; shift
  (cd "$ROOT/quay" && env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME="$ROOT" LANG=C.UTF-8 TMPDIR="${TMPDIR:-/tmp}" PYTHONPATH="$ROOT/pylib:$ROOT/stubs:$ROOT/quay" \
    TEST=true TEST_DATABASE_URI="sqlite:///$db" "$@")
}

# start_quay NAME CONFIG: a fresh copy of the fixture database, with this suite's
# fixtures added, served on a free port. Sets URL_<NAME> and writes the
# fixture variables to $WORK/NAME.env.
start_quay() {
  local name="$1" config="$2" port db log
  port="$(free_port)"
  db="$ROOT/data/quay-$port.db"
  rm -f "$db" "$db-wal" "$db-shm"
  cp "$ROOT/data/pristine.db" "$db"
  quay_env "$db" /usr/bin/python3 "$HERE/fixtures.py" > "$WORK/$name.env" 2> "$WORK/$name-fixtures.log" \
    || { cat "$WORK/$name-fixtures.log" >&2; exit 1; }
  log="$WORK/$name-quay.log"
  : > "$log"
  QUAY_KEEP_DB=1 QUAY_EXTRA_CONFIG="$config" "$ROOT/run.sh" "$port" > "$log" 2>&1 &
  PIDS+=($!)
  local pid=$!
  for _ in $(seq 1 300); do
    grep -q "realquay listening" "$log" && break
    kill -0 "$pid" 2>/dev/null || { echo "conformance: real Quay did not start:" >&2; cat "$log" >&2; exit 1; }
    sleep 0.2
  done
  grep -q "realquay listening" "$log" || { echo "conformance: real Quay not ready after 60 s:" >&2; cat "$log" >&2; exit 1; }
  printf -v "URL_$name" 'http://127.0.0.1:%s' "$port"
  say "real Quay for the $name run listening on 127.0.0.1:$port"
}

# live_suite NAME RUN: the contract suite (go test -run RUN) against the
# server NAME, the fixture variables exported.
live_suite() {
  local name="$1" run="$2" url_var="URL_$1" total
  (
    set -a; . "$ROOT/tokens.env"; . "$WORK/$name.env"; set +a
    export QUAY_URL="${!url_var}"
    # initdb.py's fixtures (../shared/realquay/README.md "Fixture state"):
    export QUAY_CONTRACT_ORGS=buynlarge,library,titi,sellnsmall
    export QUAY_CONTRACT_UNAPPROVED_KEY=kid3
    export QUAY_CONTRACT_LIVE_BUILD=deadbeef-dead-beef-dead-beefdeadbeef
    # Every fixture user's password is "password" (initdb.py). The tag and
    # label cases push images as the QUAY_TOKEN user (devtable); the sign-in
    # cases sign devtable in and out (its bearer tokens are unaffected).
    export QUAY_REGISTRY_USER=devtable QUAY_REGISTRY_PASSWORD=password
    export QUAY_PASSWORD_USER=devtable QUAY_PASSWORD=password
    # That build's log comes from Quay's test-mode stub (test/testlogs.py),
    # which appends its first entries only when a read draws an advance over
    # 400 of 1..500: read it until it has the two entries the fixture promises.
    for _ in $(seq 1 100); do
      total=$(curl -s -H "Authorization: Bearer $QUAY_TOKEN" "$QUAY_URL/api/v1/superuser/$QUAY_CONTRACT_LIVE_BUILD/logs" \
        | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
      [ "$total" -ge 2 ] && break
    done
    [ "$total" -ge 2 ] || { echo "conformance: the live build's log is still empty after 100 reads" >&2; exit 1; }
    cd "$REPO"
    "$GO" test -count=1 -json -timeout 20m -run "$run" ./internal/contract > "$WORK/$name.json" || true
    "$GO" run ./internal/realquay/testsummary < "$WORK/$name.json"
  )
}

status=0

# 2. The differential test (internal/conformance), on a server of its own
# in the background: it snapshots that Quay into a fakequay and sends both
# the same requests. Quay's test config writes an audit log for every
# invalid token, which fakequay does not model: that is turned off.
start_quay diff '{"ACTION_LOG_AUDIT_LOGIN_FAILURES": false, "FEATURE_SUPERUSER_CONFIGDUMP": true}'
say "running the differential test against real Quay (TestDifferential), in the background"
(
  set -a; . "$ROOT/tokens.env"; set +a
  export QUAY_URL="$URL_diff"
  cd "$REPO"
  "$GO" test -count=1 -json -timeout 30m -run '^TestDifferential$' ./internal/conformance > "$WORK/diff.json" || true
) &
DIFF_PID=$!

# 3. The whole suite, on the harness's configuration with the config dump on,
# so the suite reads the registry's settings instead of assuming them
# (contract.LiveTarget).
start_quay live '{"FEATURE_SUPERUSER_CONFIGDUMP": true}'
say "running the contract suite against real Quay (TestLiveQuay)"
live_suite live '^TestLiveQuay$' || status=1

# 4. Images pushed through Quay's registry protocol: real Quay must report
# the digests fakequay's image builder computes, and the content facts the
# fake's quota accounting follows (fakequay/internal/image). After the suite:
# they push into fixture namespaces whose sizes the suite reads.
say "pushing images into real Quay (fakequay/internal/image TestLiveQuay*)"
(
  set -a; . "$ROOT/tokens.env"; set +a
  export QUAY_URL="$URL_live" QUAY_REGISTRY_USER=devtable QUAY_REGISTRY_PASSWORD=password
  cd "$REPO"
  "$GO" test -count=1 -json -timeout 10m -run '^TestLiveQuay' ./fakequay/internal/image > "$WORK/images.json" || true
  "$GO" run ./internal/realquay/testsummary < "$WORK/images.json"
) || status=1

# 5. The operations whose answers depend on a setting, again with each
# setting flipped and the dump off: the settings then come from variables.
start_quay flipped '{"FEATURE_MAILING": false, "FEATURE_SUPERUSERS_FULL_ACCESS": false, "FEATURE_REPO_MIRROR": false, "SETUP_COMPLETE": true}'
say "running the setting-dependent cases against real Quay with the settings flipped"
(
  export QUAY_MAILING=false QUAY_SUPERUSERS_FULL_ACCESS=false QUAY_REPO_MIRROR=off QUAY_SETUP_COMPLETE=true \
    QUAY_CONFIGDUMP=false QUAY_QUOTA_MANAGEMENT=true
  # The member and team cases: without FEATURE_MAILING a user in no team
  # joins at once (and another namespace's robot too), and the invitation
  # routes do not exist.
  live_suite flipped '^TestLiveQuay$/^(createInstallUser|getInstallUser|sendInstallUserRecoveryEmail|getRepoBuildSuperUser|listAllAppTokens|scRegistryStatus|SuperUserDumpConfig|getSuperUserRepositoryMirrorHealth|getOrganizationMembers|getOrganizationMember|removeOrganizationMember|getOrganizationCollaborators|changeOrganizationDetails|deleteAdminedOrganization|updateOrganizationTeam|deleteOrganizationTeam|updateOrganizationTeamMember|deleteOrganizationTeamMember|getOrganizationTeamMembers|getOrganizationTeamPermissions|inviteTeamMemberEmail|acceptOrganizationTeamInvite|declineOrganizationTeamInvite|listRepoUserPermissions|getUserPermissions|getUserTransitivePermission|deleteUserPermissions|getTeamPermissions|listRepoTeamPermissions|deleteTeamPermissions|getOrganizationPrototypePermissions|deleteOrganizationPrototypePermission)$'
) || status=1

wait "$DIFF_PID"
say "the differential test (TestDifferential):"
(cd "$REPO" && "$GO" run ./internal/realquay/testsummary < "$WORK/diff.json") || status=1

say "done"
exit $status
