#!/bin/bash
# restart.sh PORT: a fresh real Quay (pristine DB) with the extra tokens minted
P=$1
pid=$(grep -o 'pid=[0-9]*' /tmp/rq-$P.log 2>/dev/null | tail -1 | cut -d= -f2)
[ -n "$pid" ] && kill $pid 2>/dev/null && sleep 4
(/tmp/realquay/run.sh $P > /tmp/rq-$P.log 2>&1 &)
for i in $(seq 1 60); do grep -q "realquay listening" /tmp/rq-$P.log && break; sleep 2; done
$(dirname "$0")/mint.sh $P > /dev/null
