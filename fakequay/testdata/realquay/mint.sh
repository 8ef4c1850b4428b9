#!/bin/bash
# mint.sh PORT: mints the extra tokens the fakecore probes use into /tmp/rq-fakecore/tok-PORT.env
P=$1; M=$(dirname "$0")/mktoken.sh; mkdir -p /tmp/rq-fakecore; ALL="super:user repo:admin user:admin org:admin repo:read repo:write user:read repo:create"
{
echo "TOK_NORMAL=$($M $P normaluser "$ALL")"      # admin (owners) of orgwithnosuperuser
echo "TOK_RANDOM=$($M $P randomuser "$ALL")"      # owner of sellnsmall; readers of orgwithnosuperuser
echo "TOK_READER=$($M $P reader "$ALL")"          # readers of buynlarge
echo "TOK_CREATOR=$($M $P creator "$ALL")"        # creators of buynlarge
echo "TOK_OUTSIDE=$($M $P outsideorg "$ALL")"     # collaborator on buynlarge/orgrepo
echo "TOK_NORMAL_RO=$($M $P normaluser "repo:read user:read")"
echo "TOK_NORMAL_ORG=$($M $P normaluser "org:admin")"
echo "TOK_NORMAL_UA=$($M $P normaluser "user:admin")"
echo "TOK_MEMBER=$($M $P member "$ALL")"          # members team of proxyorg
} > /tmp/rq-fakecore/tok-$P.env
cat /tmp/rq-fakecore/tok-$P.env
