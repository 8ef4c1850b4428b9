#!/bin/bash
# mktoken.sh PORT USER "SCOPES" -> prints an OAuth access token of app deadbeef for USER,
# minted through Quay's own OAuth code flow (session sign-in, authorize, exchange).
set -e
PORT=$1; U=$2; SCOPES=$3
B=http://127.0.0.1:$PORT
. /tmp/realquay/tokens.env
CJ=$(mktemp)
csrf() { curl -s -c $CJ -b $CJ $B/csrf_token | python3 -c 'import json,sys;print(json.load(sys.stdin)["csrf_token"])'; }
CS=$(csrf)
curl -s -c $CJ -b $CJ -H "X-CSRF-Token: $CS" -H 'Content-Type: application/json' -d "{\"username\":\"$U\",\"password\":\"password\"}" $B/api/v1/signin >/dev/null
CS=$(csrf)
LOC=$(curl -s -i -c $CJ -b $CJ --data-urlencode client_id=deadbeef --data-urlencode redirect_uri=http://localhost:8000/o2c.html \
  --data-urlencode response_type=code --data-urlencode "scope=$SCOPES" --data-urlencode "_csrf_token=$CS" $B/oauth/authorizeapp | grep -i '^Location:' | tr -d '\r')
CODE=$(echo "$LOC" | sed -n 's/.*[?&]code=\([^&]*\).*/\1/p')
SECRET=$(curl -s -H "Authorization: Bearer $QUAY_TOKEN" $B/api/v1/organization/buynlarge/applications/deadbeef | python3 -c 'import json,sys;print(json.load(sys.stdin)["client_secret"])')
curl -s --data-urlencode grant_type=authorization_code --data-urlencode client_id=deadbeef --data-urlencode "client_secret=$SECRET" \
  --data-urlencode redirect_uri=http://localhost:8000/o2c.html --data-urlencode "code=$CODE" --data-urlencode "scope=$SCOPES" $B/oauth/access_token | python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])'
rm -f $CJ
