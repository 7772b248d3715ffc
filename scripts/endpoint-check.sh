#!/usr/bin/env bash
# End-to-end check of the BUILT force-mfa CLI against an AWS-compatible endpoint (an emulator such as moto_server).
#
# It runs the "Must show" items of issues 4-7 that say "against an AWS-compatible endpoint given in
# AWS_ENDPOINT_URL", each printing PASS or FAIL with the measured facts:
#   1. audit:    users in every status are classified correctly (audit --format json, compared per user)
#   2. rollout:  enroll --all --exclude breakglass plans/applies exactly the right users, is idempotent, and
#                unenroll --log restores the group; deploy/destroy of the guard stack through CloudFormation
#   3. session:  session --code --serial writes a working target profile, keeps the other sections byte for byte,
#                mode 0600, reuses a valid session without an STS call (counted by a small logging proxy);
#                --format credential-process prints Version 1 and Expiration
#   4. org:      an organization of 3 member accounts: audit --org --format json reports every user with its
#                accountId and the right status; deploy --org creates the stack set and its stack instances
#
# It WRITES to the endpoint (users, groups, an organization, stacks): NEVER point it at a real AWS account. Give it a
# fresh, empty endpoint (the users it creates must not exist yet; its own moto_server always starts empty).
# It needs an emulator and is not part of `npm test` (CI machines have none).
#
# Usage:   bash scripts/endpoint-check.sh
#   AWS_ENDPOINT_URL=http://127.0.0.1:5000 bash scripts/endpoint-check.sh   # use an emulator already running
#   Without AWS_ENDPOINT_URL it starts `moto_server` on 127.0.0.1 with a free port and stops it (by pid) at the end.
#   KEEP_WORK=1 keeps the temporary directory (logs, reports) for inspection.
# Needs: node 20, the AWS CLI (`aws`), jq, curl; moto_server when no AWS_ENDPOINT_URL is given.
# Credentials: dummy ones (testing/testing, us-east-1) unless AWS_ACCESS_KEY_ID is already set.
# Output: one line per check, PASS / FAIL / N/A (N/A: the endpoint cannot emulate it, with the measured reason).
# Exit code: 0 when no check failed, 1 when one failed, 2 when the setup itself failed.

set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CLI="$ROOT/dist/cli/main.js"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/force-mfa-endpoint-check.XXXXXX")"
MOTO_PID=""
PROXY_PID=""
PASSES=0
FAILS=0
UNSUPPORTED=0
FAILED_NAMES=()

# --- plumbing -------------------------------------------------------------------------------------------------------

cleanup() {
  local pid
  for pid in "$PROXY_PID" "$MOTO_PID"; do
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
    fi
  done
  if [[ "${KEEP_WORK:-0}" == 1 ]]; then echo "work directory kept: $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() { echo "SETUP ERROR: $*" >&2; exit 2; }
note() { echo "  · $*"; }
section() { echo; echo "== $*"; }

# pass_if NAME FACTS COMMAND...: PASS when COMMAND succeeds.
pass_if() {
  local name=$1 facts=$2; shift 2
  if "$@"; then PASSES=$((PASSES + 1)); echo "PASS  $name — $facts"
  else FAILS=$((FAILS + 1)); FAILED_NAMES+=("$name"); echo "FAIL  $name — $facts"; fi
}
# same NAME EXPECTED ACTUAL: PASS when equal; prints both.
same() {
  local name=$1 expected=$2 actual=$3
  if [[ "$expected" == "$actual" ]]; then pass_if "$name" "got: ${actual:-<none>}" true
  else pass_if "$name" "expected: ${expected:-<none>} | got: ${actual:-<none>}" false; fi
}
fail_now() { pass_if "$1" "$2" false; }
# unsupported NAME FACTS: the endpoint cannot emulate what the check needs (measured); neither PASS nor FAIL.
unsupported() { UNSUPPORTED=$((UNSUPPORTED + 1)); echo "N/A   $1 — $2"; }
# is_prefix_file SMALL BIG: BIG starts with the bytes of SMALL.
is_prefix_file() { cmp -s -n "$(wc -c <"$1")" "$1" "$2"; }

fm() { node "$CLI" "$@"; }          # the built CLI
sorted_words() { tr ' ,\t' '\n\n\n' | sed '/^$/d' | LC_ALL=C sort -u | paste -sd' ' -; }
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

# wait_http URL SECONDS: bounded wait until something answers HTTP at URL.
wait_http() {
  local url=$1 limit=$2 i
  for i in $(seq 1 $((limit * 4))); do
    curl -s -o /dev/null --max-time 1 "$url" && return 0
    sleep 0.25
  done
  return 1
}

# with_account_creds ACCOUNT_ID COMMAND...: run COMMAND with credentials of OrganizationAccountAccessRole in ACCOUNT_ID.
with_account_creds() {
  local account=$1; shift
  local creds
  creds="$(aws sts assume-role --role-arn "arn:aws:iam::$account:role/OrganizationAccountAccessRole" \
    --role-session-name endpoint-check --output json)" || return 1
  AWS_ACCESS_KEY_ID="$(jq -r .Credentials.AccessKeyId <<<"$creds")" \
  AWS_SECRET_ACCESS_KEY="$(jq -r .Credentials.SecretAccessKey <<<"$creds")" \
  AWS_SESSION_TOKEN="$(jq -r .Credentials.SessionToken <<<"$creds")" \
    "$@"
}

# --- seeding --------------------------------------------------------------------------------------------------------

GUARD_POLICY="$WORK/guard-policy.json"

# ensure_guard_group GROUP: the guard group with the recommended policy from `force-mfa template --format policy`.
ensure_guard_group() {
  local group=$1
  aws iam get-group --group-name "$group" >/dev/null 2>&1 || aws iam create-group --group-name "$group" >/dev/null || return 1
  aws iam put-group-policy --group-name "$group" --policy-name ForceMfaAccess \
    --policy-document "file://$GUARD_POLICY" >/dev/null
}

enable_virtual_mfa() {
  local user=$1 serial
  serial="$(aws iam create-virtual-mfa-device --virtual-mfa-device-name "$user" \
    --outfile "$WORK/qr-$RANDOM.png" --bootstrap-method QRCodePNG --query VirtualMFADevice.SerialNumber --output text)" || return 1
  aws iam enable-mfa-device --user-name "$user" --serial-number "$serial" \
    --authentication-code1 123456 --authentication-code2 654321 >/dev/null || return 1
  echo "$serial"
}

# attach_aws_policy USER NAME: attach the AWS managed policy NAME; an endpoint without AWS managed policies gets a
# customer managed policy of the same name (Allow * for AdministratorAccess, iam:* for IAMFullAccess) instead.
attach_aws_policy() {
  local user=$1 name=$2 account action='*'
  aws iam attach-user-policy --user-name "$user" --policy-arn "arn:aws:iam::aws:policy/$name" 2>/dev/null && return 0
  [[ "$name" == IAMFullAccess ]] && action='iam:*'
  account="$(aws sts get-caller-identity --query Account --output text)" || return 1
  aws iam get-policy --policy-arn "arn:aws:iam::$account:policy/$name" >/dev/null 2>&1 ||
    aws iam create-policy --policy-name "$name" --policy-document \
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"$action\",\"Resource\":\"*\"}]}" >/dev/null || return 1
  note "no AWS managed policy $name on this endpoint: attached a customer managed copy to $user"
  aws iam attach-user-policy --user-name "$user" --policy-arn "arn:aws:iam::$account:policy/$name"
}

# seed_user STATUS NAME [PATH] [GROUP]: create a user that should be classified STATUS (in the current credentials' account).
seed_user() {
  local status=$1 user=$2 path=${3:-/} group=${4:-ForceMfaAccess}
  local tags=()
  [[ "$status" == exempt ]] && tags=(--tags Key=force-mfa:exempt,Value=true)
  aws iam create-user --user-name "$user" --path "$path" "${tags[@]}" >/dev/null || return 1
  case "$status" in
    protected)
      aws iam create-login-profile --user-name "$user" --password 'Endpoint-check-1!' >/dev/null &&
      aws iam add-user-to-group --group-name "$group" --user-name "$user" &&
      enable_virtual_mfa "$user" >/dev/null ;;
    pending-enrollment)
      aws iam create-login-profile --user-name "$user" --password 'Endpoint-check-1!' >/dev/null &&
      aws iam add-user-to-group --group-name "$group" --user-name "$user" ;;
    enrolled-not-enforced)
      aws iam create-login-profile --user-name "$user" --password 'Endpoint-check-1!' >/dev/null &&
      enable_virtual_mfa "$user" >/dev/null &&
      aws iam put-user-policy --user-name "$user" --policy-name AdminLike \
        --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}' ;;
    unprotected|exempt)
      aws iam create-login-profile --user-name "$user" --password 'Endpoint-check-1!' >/dev/null ;;
    unprotected-programmatic)
      aws iam create-access-key --user-name "$user" >/dev/null ;;
    no-credentials) : ;;
    *) echo "unknown status $status" >&2; return 1 ;;
  esac
}

# compare_statuses NAME REPORT EXPECTED_FILE [ACCOUNT]: each "user status" line of EXPECTED_FILE against the report.
compare_statuses() {
  local name=$1 report=$2 expected=$3 account=${4:-}
  local user want got filter
  while read -r user want; do
    [[ -z "$user" ]] && continue
    if [[ -n "$account" ]]; then
      filter='[.users[] | select(.userName == $u and .accountId == $a) | .status] | join(",")'
      got="$(jq -r --arg u "$user" --arg a "$account" "$filter" "$report")"
      same "$name: $account/$user" "$want" "$got"
    else
      got="$(jq -r --arg u "$user" '[.users[] | select(.userName == $u) | .status] | join(",")' "$report")"
      same "$name: $user" "$want" "$got"
    fi
  done <"$expected"
}

# --- setup ----------------------------------------------------------------------------------------------------------

command -v aws >/dev/null || die "the AWS CLI (aws) is not installed"
command -v jq >/dev/null || die "jq is not installed"
command -v curl >/dev/null || die "curl is not installed"
if [[ ! -f "$CLI" ]]; then
  echo "building the CLI (dist/ missing)…" >&2
  (cd "$ROOT" && npx tsc -p tsconfig.build.json) || die "the build failed"
fi

# Isolated HOME and shared files: nothing of the maintainer's ~/.aws is read or written.
export HOME="$WORK/home"
mkdir -p "$HOME/.aws"
export AWS_SHARED_CREDENTIALS_FILE="$HOME/.aws/credentials" AWS_CONFIG_FILE="$HOME/.aws/config"
: >"$AWS_SHARED_CREDENTIALS_FILE"; : >"$AWS_CONFIG_FILE"
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-testing}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-testing}"
export AWS_REGION="${AWS_REGION:-us-east-1}"
export AWS_DEFAULT_REGION="$AWS_REGION" AWS_PAGER="" NO_COLOR=1

if [[ -z "${AWS_ENDPOINT_URL:-}" ]]; then
  command -v moto_server >/dev/null || die "no AWS_ENDPOINT_URL and no moto_server on PATH"
  PORT="$(free_port)" || die "no free port"
  # AWS managed policies (AdministratorAccess, IAMFullAccess) exist in moto only with this setting.
  MOTO_IAM_LOAD_MANAGED_POLICIES=true moto_server -H 127.0.0.1 -p "$PORT" >"$WORK/moto.log" 2>&1 &
  MOTO_PID=$!
  export AWS_ENDPOINT_URL="http://127.0.0.1:$PORT"
  wait_http "$AWS_ENDPOINT_URL/" 30 || die "moto_server did not answer within 30 s (log: $WORK/moto.log)"
  echo "started moto_server pid $MOTO_PID at $AWS_ENDPOINT_URL"
else
  wait_http "$AWS_ENDPOINT_URL/" 10 || die "nothing answers at AWS_ENDPOINT_URL=$AWS_ENDPOINT_URL"
  echo "using the endpoint at $AWS_ENDPOINT_URL"
fi
CALLER="$(aws sts get-caller-identity --output json)" || die "sts get-caller-identity failed at $AWS_ENDPOINT_URL"
MAIN_ACCOUNT="$(jq -r .Account <<<"$CALLER")"
echo "caller: $(jq -r .Arn <<<"$CALLER") (account $MAIN_ACCOUNT); force-mfa $(fm --version)"
fm template --format policy >"$GUARD_POLICY" || die "force-mfa template --format policy failed"

# --- 1. audit (issue 4) ---------------------------------------------------------------------------------------------

section "1. issue 4: audit --format json classifies users in every status"
EXPECTED1="$WORK/expected-audit.txt"
cat >"$EXPECTED1" <<'EOF'
alice-protected protected
bob-pending pending-enrollment
carol-mfa-admin enrolled-not-enforced
dave-unprotected unprotected
erin-keys-only unprotected-programmatic
frank-no-credentials no-credentials
grace-exempt exempt
henry-path-protected protected
ivan-path-unprotected unprotected
EOF
seed_ok=true
ensure_guard_group ForceMfaAccess || seed_ok=false
while read -r user status; do
  path=/
  [[ "$user" == henry-path-protected ]] && path=/staff/engineering/
  [[ "$user" == ivan-path-unprotected ]] && path=/staff/
  seed_user "$status" "$user" "$path" || { seed_ok=false; note "seeding $user ($status) failed"; }
done <"$EXPECTED1"
# breakglass: an administrator (AdministratorAccess) with MFA, outside the group, for the rollout checks.
{ aws iam create-user --user-name breakglass >/dev/null &&
  aws iam create-login-profile --user-name breakglass --password 'Endpoint-check-1!' >/dev/null &&
  attach_aws_policy breakglass AdministratorAccess &&
  enable_virtual_mfa breakglass >/dev/null; } || { seed_ok=false; note "seeding breakglass failed"; }
echo "breakglass enrolled-not-enforced" >>"$EXPECTED1"
pass_if "seed account $MAIN_ACCOUNT" "$(wc -l <"$EXPECTED1") users + group ForceMfaAccess" $seed_ok

REPORT1="$WORK/audit.json"
fm audit --format json --output "$REPORT1" 2>"$WORK/audit.err"
rc=$?
pass_if "audit exit code" "exit $rc (0 or 1 expected), stderr: $(tail -c 300 "$WORK/audit.err" | tr '\n' ' ')" \
  test "$rc" -le 1 -a -s "$REPORT1"
if [[ -s "$REPORT1" ]]; then
  compare_statuses "audit status" "$REPORT1" "$EXPECTED1"
  same "audit paths kept" "/staff/engineering/ /staff/" \
    "$(jq -r '[.users[] | select(.userName=="henry-path-protected" or .userName=="ivan-path-unprotected") | .path] | join(" ")' "$REPORT1")"
  note "summary: $(jq -c '.summary.byStatus' "$REPORT1")"
fi

# --- 2. rollout (issue 5) -------------------------------------------------------------------------------------------

section "2. issue 5: enroll / unenroll / deploy / destroy"
group_members() { aws iam get-group --group-name "$1" --query 'Users[].UserName' --output text | sorted_words; }
BEFORE="$(group_members ForceMfaAccess)"
note "group ForceMfaAccess before: $BEFORE"

# The expected plan, from the endpoint's own data: every user, minus members, breakglass and users tagged exempt.
expected_adds=""
for user in $(aws iam list-users --query 'Users[].UserName' --output text); do
  [[ " $BEFORE " == *" $user "* || "$user" == breakglass ]] && continue
  tag="$(aws iam list-user-tags --user-name "$user" --query "Tags[?Key=='force-mfa:exempt'].Value | [0]" --output text)"
  [[ "${tag,,}" == true ]] && continue
  expected_adds+=" $user"
done
expected_adds="$(sorted_words <<<"$expected_adds")"
note "caller is $(jq -r .Arn <<<"$CALLER"): not an IAM user of the account, so enroll has no caller to refuse (no --force used)"

ENROLL_LOG="$WORK/enroll.jsonl"
fm enroll --all --exclude breakglass --json >"$WORK/plan.json" 2>"$WORK/plan.err"
rc=$?
same "enroll plan (exit $rc)" "$expected_adds" \
  "$(jq -r '[.changes[] | select(.action=="add") | .userName] | join(" ")' "$WORK/plan.json" 2>/dev/null | sorted_words)"
same "plan changes nothing on the endpoint" "$BEFORE" "$(group_members ForceMfaAccess)"

fm enroll --all --exclude breakglass --apply --log "$ENROLL_LOG" --json >"$WORK/apply1.json" 2>"$WORK/apply1.err"
rc=$?
AFTER="$(group_members ForceMfaAccess)"
same "enroll --apply (exit $rc): group = before + planned" "$(echo "$BEFORE $expected_adds" | sorted_words)" "$AFTER"
pass_if "breakglass and exempt users left out" "members after: $AFTER" \
  bash -c '[[ " $1 " != *" breakglass "* && " $1 " != *" grace-exempt "* ]]' _ "$AFTER"

fm enroll --all --exclude breakglass --apply --log "$ENROLL_LOG" --json >"$WORK/apply2.json" 2>"$WORK/apply2.err"
rc=$?
second_changes="$(jq -r '[.changes[]? | select(.action=="add") | .userName] | join(" ")' "$WORK/apply2.json" 2>/dev/null)"
same "second --apply (exit $rc) adds nobody" "" "$second_changes"
same "second --apply leaves the group as it was" "$AFTER" "$(group_members ForceMfaAccess)"

fm unenroll --log "$ENROLL_LOG" --apply --json >"$WORK/unenroll.json" 2>"$WORK/unenroll.err"
rc=$?
same "unenroll --apply (exit $rc) restores the group" "$BEFORE" "$(group_members ForceMfaAccess)"
note "log lines: $(wc -l <"$ENROLL_LOG" 2>/dev/null || echo 0)"

# The caller refusal, with an IAM user's long-term keys as the caller (no MFA session).
aws iam create-user --user-name operator >/dev/null &&
  attach_aws_policy operator IAMFullAccess &&
  OPERATOR_KEY="$(aws iam create-access-key --user-name operator --output json)"
if [[ -n "${OPERATOR_KEY:-}" ]]; then
  members_before="$(group_members ForceMfaAccess)"
  AWS_ACCESS_KEY_ID="$(jq -r .AccessKey.AccessKeyId <<<"$OPERATOR_KEY")" \
  AWS_SECRET_ACCESS_KEY="$(jq -r .AccessKey.SecretAccessKey <<<"$OPERATOR_KEY")" \
    fm enroll --users operator,dave-unprotected --apply --log "$WORK/operator.jsonl" >"$WORK/operator.out" 2>"$WORK/operator.err"
  rc=$?
  same "enroll refuses to add its own caller without MFA (exit $rc, stderr: $(head -c 200 "$WORK/operator.err" | tr '\n' ' '))" \
    "$members_before" "$(group_members ForceMfaAccess)"
  pass_if "that refusal exits non-zero" "exit $rc" test "$rc" -ne 0
  for arn in $(aws iam list-attached-user-policies --user-name operator --query 'AttachedPolicies[].PolicyArn' --output text); do
    aws iam detach-user-policy --user-name operator --policy-arn "$arn"
  done
  aws iam delete-access-key --user-name operator --access-key-id "$(jq -r .AccessKey.AccessKeyId <<<"$OPERATOR_KEY")"
  aws iam delete-user --user-name operator
else
  fail_now "enroll caller refusal" "could not create the operator user and key"
fi

# deploy / destroy of the guard stack (a group of its own, so the group seeded above is not touched).
STACK=force-mfa-endpoint-check
STACK_GROUP=ForceMfaEndpointCheck
fm deploy --yes --stack-name "$STACK" --group-name "$STACK_GROUP" >"$WORK/deploy.out" 2>"$WORK/deploy.err"
rc=$?
status="$(aws cloudformation describe-stacks --stack-name "$STACK" --query 'Stacks[0].StackStatus' --output text 2>/dev/null)"
same "deploy --yes (exit $rc): stack status" "CREATE_COMPLETE" "$status"
[[ $rc -ne 0 ]] && note "deploy stderr: $(tail -c 600 "$WORK/deploy.err" | tr '\n' ' ')"
# The template the stack runs holds the rendered policy (the YAML is read with the project's own yaml package).
aws cloudformation get-template --stack-name "$STACK" --query TemplateBody --output json >"$WORK/stack-template.json" 2>/dev/null
stack_policy="$(cd "$ROOT" && node --input-type=module -e '
  import fs from "node:fs"; import YAML from "yaml";
  let body = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  if (typeof body === "string") body = YAML.parse(body);
  const group = Object.values(body.Resources ?? {}).find((r) => r.Type === "AWS::IAM::Group");
  const sortKeys = (v) => Array.isArray(v) ? v.map(sortKeys) : v && typeof v === "object"
    ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])])) : v;
  console.log(JSON.stringify(sortKeys(group?.Properties?.Policies?.[0]?.PolicyDocument ?? null)));
' "$WORK/stack-template.json" 2>/dev/null)"
pass_if "stack template holds the rendered guard policy" "$( [[ "$stack_policy" == "$(jq -S -c . "$GUARD_POLICY")" ]] && echo 'equal to template --format policy' || echo "differs: ${stack_policy:0:120}")" \
  test "$stack_policy" == "$(jq -S -c . "$GUARD_POLICY")"
group_policy="$(aws iam get-group-policy --group-name "$STACK_GROUP" --policy-name ForceMfaAccess --query PolicyDocument --output json 2>/dev/null | jq -S -c . 2>/dev/null)"
resources="$(aws cloudformation describe-stack-resources --stack-name "$STACK" --query 'StackResources[].[ResourceType,ResourceStatus]' --output text 2>/dev/null | tr '\t\n' ' ;')"
if [[ -n "$group_policy" ]]; then
  same "the stack created group $STACK_GROUP with the guard policy" "$(jq -S -c . "$GUARD_POLICY")" "$group_policy"
elif [[ "$status" == CREATE_COMPLETE ]]; then
  unsupported "the stack created group $STACK_GROUP" "stack CREATE_COMPLETE but IAM has no such group; stack resources: ${resources:-<none>} (the endpoint does not create AWS::IAM::Group from CloudFormation)"
else
  fail_now "the stack created group $STACK_GROUP" "no group, stack status ${status:-<none>}"
fi

fm destroy --yes --stack-name "$STACK" >"$WORK/destroy.out" 2>"$WORK/destroy.err"
rc=$?
status="$(aws cloudformation describe-stacks --stack-name "$STACK" --query 'Stacks[0].StackStatus' --output text 2>&1 | tail -1)"
group_left="$(aws iam get-group --group-name "$STACK_GROUP" >/dev/null 2>&1 && echo yes || echo no)"
pass_if "destroy --yes (exit $rc) deletes the stack" "describe-stacks afterwards: $status; group $STACK_GROUP exists: $group_left" \
  bash -c '[[ $1 -eq 0 && $3 == no && ( $2 == DELETE_COMPLETE || $2 == *"does not exist"* ) ]]' _ "$rc" "$status" "$group_left"
[[ $rc -ne 0 ]] && note "destroy stderr: $(tail -c 600 "$WORK/destroy.err" | tr '\n' ' ')"

# --- 3. session (issue 6) -------------------------------------------------------------------------------------------

section "3. issue 6: session writes a working MFA profile"
# A logging proxy in front of the endpoint, to count the STS calls force-mfa makes.
PROXY_LOG="$WORK/proxy.log"
cat >"$WORK/proxy.mjs" <<'EOF'
// Forwards every request to UPSTREAM and appends one line per request: "<service-or-host> <Action>".
import http from 'node:http';
import fs from 'node:fs';
const [upstream, logFile] = process.argv.slice(2);
const target = new URL(upstream);
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const params = new URLSearchParams(body.toString('utf8'));
    const query = new URL(req.url, 'http://x').searchParams;
    const action = params.get('Action') ?? query.get('Action') ?? req.headers['x-amz-target'] ?? '-';
    const auth = String(req.headers.authorization ?? '');
    const service = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(auth)?.[1] ?? '-';
    fs.appendFileSync(logFile, `${service} ${action}\n`);
    // Stack-instance requests in full (no secrets in them), to show what was asked of CloudFormation.
    if (action === 'CreateStackInstances' || action === 'CreateStackSet') {
      const shown = new URLSearchParams(params);
      shown.delete('TemplateBody');
      fs.appendFileSync(`${logFile}.bodies`, `${shown.toString()}\n`);
    }
    const up = http.request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (r) => { res.writeHead(r.statusCode ?? 502, r.headers); r.pipe(res); },
    );
    up.on('error', (e) => { res.writeHead(502); res.end(String(e)); });
    up.end(body);
  });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
EOF
: >"$PROXY_LOG"
node "$WORK/proxy.mjs" "$AWS_ENDPOINT_URL" "$PROXY_LOG" >"$WORK/proxy.port" 2>"$WORK/proxy.err" &
PROXY_PID=$!
for _ in $(seq 1 40); do [[ -s "$WORK/proxy.port" ]] && break; sleep 0.25; done
PROXY_URL="http://127.0.0.1:$(cat "$WORK/proxy.port")"
wait_http "$PROXY_URL/" 10 || die "the logging proxy did not start (log: $WORK/proxy.err)"
sts_calls() { grep -c ' GetSessionToken$' "$PROXY_LOG"; }

# A user with long-term keys and a virtual MFA device.
SESSION_USER=sam-cli
aws iam create-user --user-name "$SESSION_USER" >/dev/null
SERIAL="$(enable_virtual_mfa "$SESSION_USER")"
KEY="$(aws iam create-access-key --user-name "$SESSION_USER" --output json)"
KEY_ID="$(jq -r .AccessKey.AccessKeyId <<<"$KEY")"
KEY_SECRET="$(jq -r .AccessKey.SecretAccessKey <<<"$KEY")"
note "source user $SESSION_USER, key id …${KEY_ID: -4}, serial $SERIAL"

SESSION_HOME="$WORK/session-home"
mkdir -p "$SESSION_HOME/.aws"
CREDS="$SESSION_HOME/.aws/credentials"
CONFIG="$SESSION_HOME/.aws/config"
cat >"$CREDS" <<EOF
# Shared credentials of the endpoint check. This comment must survive.
[work]
; long-term keys of $SESSION_USER
aws_access_key_id = $KEY_ID
aws_secret_access_key = $KEY_SECRET

[unrelated]   # another team's keys, never touched
aws_access_key_id = AKIAUNRELATED0000001
aws_secret_access_key = not-a-real-secret/with=odd+chars
  ; an indented comment
region=eu-west-1
EOF
cat >"$CONFIG" <<EOF
# config of the endpoint check
[profile work]
region = us-east-1
output = json

[profile unrelated]
region = eu-west-1
EOF
chmod 0644 "$CREDS"
cp "$CREDS" "$WORK/credentials.before"
cp "$CONFIG" "$WORK/config.before"

session_env() {
  env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN HOME="$SESSION_HOME" \
    AWS_SHARED_CREDENTIALS_FILE="$CREDS" AWS_CONFIG_FILE="$CONFIG" AWS_ENDPOINT_URL="$PROXY_URL" "$@"
}

session_env node "$CLI" session --profile work --code 123456 --serial "$SERIAL" </dev/null >"$WORK/session1.out" 2>"$WORK/session1.err"
rc=$?
calls1="$(sts_calls)"
pass_if "session (exit $rc) called GetSessionToken once" "GetSessionToken calls: $calls1; stderr: $(head -c 200 "$WORK/session1.err" | tr '\n' ' ')" \
  test "$rc" -eq 0 -a "$calls1" -eq 1
has_target="$(grep -c '^\[work-mfa\]' "$CREDS")"
same "target profile [work-mfa] written" 1 "$has_target"
ident="$(session_env aws --profile work-mfa sts get-caller-identity --output json 2>"$WORK/ident.err")"
rc=$?
pass_if "a call with profile work-mfa succeeds (exit $rc)" "caller: $(jq -r .Arn <<<"${ident:-{\}}" 2>/dev/null)" test "$rc" -eq 0
users_call="$(session_env aws --profile work-mfa iam get-user --user-name "$SESSION_USER" --query User.UserName --output text 2>&1)"
note "aws --profile work-mfa iam get-user: $users_call"
# Every other section byte for byte: the original file is an exact byte prefix of the new one, and what follows it
# is only the new [work-mfa] section (with blank lines). Same for the config file, which gains [profile work-mfa].
section_only() { grep -v '^[[:space:]]*$' | grep -v '^[[:space:]]*[#;]' | awk -v h="$1" 'NR==1 && $0 != h {bad=1} /^[[:space:]]*\[/ && NR>1 {bad=1} END {exit bad}'; }
for pair in "credentials:$CREDS:[work-mfa]" "config:$CONFIG:[profile work-mfa]"; do
  IFS=: read -r label file header <<<"$pair"
  size="$(wc -c <"$WORK/$label.before")"
  tail_bytes="$(tail -c +"$((size + 1))" "$file")"
  if is_prefix_file "$WORK/$label.before" "$file" && section_only "$header" <<<"$tail_bytes"; then
    pass_if "$label file: other sections and comments byte for byte" \
      "first $size bytes identical (cmp -n); appended: $(printf '%s' "$tail_bytes" | grep -o '^[[:space:]]*\[[^]]*\]' | paste -sd' ' -) + $(printf '%s' "$tail_bytes" | grep -c '=') key lines" true
  else
    pass_if "$label file: other sections and comments byte for byte" \
      "cmp: $(cmp -n "$size" "$WORK/$label.before" "$file" 2>&1 | head -1); diff: $(diff "$WORK/$label.before" "$file" | head -12 | sed 's/\(secret_access_key\|session_token\) *=.*/\1 = ***/' | tr '\n' '|')" false
  fi
done
same "credentials file mode" 600 "$(stat -c %a "$CREDS")"
sum1="$(sha256sum "$CREDS" | cut -c1-16)"

session_env node "$CLI" session --profile work --serial "$SERIAL" </dev/null >"$WORK/session2.out" 2>"$WORK/session2.err"
rc=$?
calls2="$(sts_calls)"
pass_if "second session while valid (exit $rc, no --code) makes no STS call" \
  "GetSessionToken calls: $calls1 -> $calls2; file $( [[ "$(sha256sum "$CREDS" | cut -c1-16)" == "$sum1" ]] && echo unchanged || echo rewritten ); stderr: $(head -c 160 "$WORK/session2.err" | tr '\n' ' ')" \
  test "$rc" -eq 0 -a "$calls2" -eq "$calls1"

session_env node "$CLI" session --profile work --serial "$SERIAL" --code 123456 --format credential-process </dev/null \
  >"$WORK/cp.json" 2>"$WORK/cp.err"
rc=$?
cp_facts="$(jq -c '{Version, Expiration, AccessKeyId: (.AccessKeyId|tostring|.[0:4]+"…"), hasSecret: (.SecretAccessKey != null), hasToken: (.SessionToken != null)}' "$WORK/cp.json" 2>&1)"
cp_valid() {
  jq -e '.Version == 1 and (.Expiration | type == "string" and (sub("\\.[0-9]+Z$";"Z") | fromdateiso8601) > now)
    and (.AccessKeyId|type=="string") and (.SecretAccessKey|type=="string") and (.SessionToken|type=="string")' "$WORK/cp.json" >/dev/null 2>&1
}
pass_if "credential-process JSON (exit $rc)" "$cp_facts" cp_valid
note "GetSessionToken calls after credential-process: $(sts_calls); requests seen by the proxy: $(sort "$PROXY_LOG" | uniq -c | tr -s ' ' | paste -sd, -)"

# --- 4. organization (issue 7) --------------------------------------------------------------------------------------

section "4. issue 7: audit --org and deploy --org"
if ! aws organizations describe-organization >/dev/null 2>&1; then
  aws organizations create-organization --feature-set ALL >/dev/null || fail_now "create organization" "create-organization failed"
fi
MEMBERS=()
for n in 1 2 3; do
  status_id="$(aws organizations create-account --account-name "endpoint-check-$n" --email "check-$n-$RANDOM@example.com" \
    --query CreateAccountStatus.Id --output text)" || continue
  account=""
  for _ in $(seq 1 60); do   # bounded: about 30 s per account
    read -r state account < <(aws organizations describe-create-account-status --create-account-request-id "$status_id" \
      --query 'CreateAccountStatus.[State,AccountId]' --output text)
    [[ "$state" == SUCCEEDED || "$state" == FAILED ]] && break
    sleep 0.5
  done
  [[ "$state" == SUCCEEDED ]] && MEMBERS+=("$account")
done
same "three member accounts created" 3 "${#MEMBERS[@]}"
note "member accounts: ${MEMBERS[*]}; OrganizationAccountAccessRole: $(for a in "${MEMBERS[@]}"; do
  with_account_creds "$a" aws iam get-role --role-name OrganizationAccountAccessRole --query Role.Arn --output text 2>/dev/null || echo "missing-in-$a"; done | paste -sd' ' -)"

EXPECTED4="$WORK/expected-org.txt"
: >"$EXPECTED4"
i=0
for account in "${MEMBERS[@]}"; do
  i=$((i + 1))
  # The same user names in every account (accountId must tell them apart), plus one of each account's own.
  spec=("protected m-alice" "unprotected m-bob" "unprotected-programmatic m-carol" "no-credentials m-dan")
  case $i in
    1) spec+=("pending-enrollment only-in-1") ;;
    2) spec+=("enrolled-not-enforced only-in-2") ;;
    3) spec+=("exempt only-in-3") ;;
  esac
  ok=true
  with_account_creds "$account" bash -c "$(declare -f ensure_guard_group); GUARD_POLICY='$GUARD_POLICY'; ensure_guard_group ForceMfaAccess" || ok=false
  for line in "${spec[@]}"; do
    read -r status user <<<"$line"
    with_account_creds "$account" bash -c "$(declare -f seed_user enable_virtual_mfa); WORK='$WORK'; seed_user $status $user" || ok=false
    echo "$account $user $status" >>"$EXPECTED4"
  done
  pass_if "seed member account $account" "${#spec[@]} users" $ok
done

REPORT4="$WORK/org-audit.json"
fm audit --org --format json --output "$REPORT4" 2>"$WORK/org-audit.err"
rc=$?
pass_if "audit --org exit code" "exit $rc; stderr tail: $(tail -c 300 "$WORK/org-audit.err" | tr '\n' ' ')" test "$rc" -le 1 -a -s "$REPORT4"
if [[ -s "$REPORT4" ]]; then
  note "accounts: $(jq -c '[.accounts[]? | {id, status, management, users: .summary.users?}]' "$REPORT4")"
  while read -r account user want; do
    got="$(jq -r --arg u "$user" --arg a "$account" '[.users[] | select(.userName == $u and .accountId == $a) | .status] | join(",")' "$REPORT4")"
    same "org status $account/$user" "$want" "$got"
  done <"$EXPECTED4"
  # Every user of every account (management included) appears once, with its account id.
  for account in "$MAIN_ACCOUNT" "${MEMBERS[@]}"; do
    if [[ "$account" == "$MAIN_ACCOUNT" ]]; then listed="$(aws iam list-users --query 'Users[].UserName' --output text | sorted_words)"
    else listed="$(with_account_creds "$account" aws iam list-users --query 'Users[].UserName' --output text | sorted_words)"; fi
    reported="$(jq -r --arg a "$account" '[.users[] | select(.accountId == $a) | .userName] | join(" ")' "$REPORT4" | sorted_words)"
    same "org report lists every user of $account" "$listed" "$reported"
  done
  # The management account's users: the same statuses as the single-account audit of section 1.
  while read -r user want; do
    got="$(jq -r --arg u "$user" --arg a "$MAIN_ACCOUNT" '[.users[] | select(.userName == $u and .accountId == $a) | .status] | join(",")' "$REPORT4")"
    same "org status $MAIN_ACCOUNT/$user (management)" "$want" "$got"
  done <"$EXPECTED1"
fi

ROOT_ID="$(aws organizations list-roots --query 'Roots[0].Id' --output text)"
: >"$PROXY_LOG.bodies"
started=$SECONDS
AWS_ENDPOINT_URL="$PROXY_URL" fm deploy --org --yes >"$WORK/org-deploy.out" 2>"$WORK/org-deploy.err"
rc=$?
note "deploy --org --yes: exit $rc in $((SECONDS - started)) s; requests: $(grep -E ' (CreateStackSet|CreateStackInstances|DescribeOrganizationsAccess|DescribeStackSetOperation)$' "$PROXY_LOG" | sort | uniq -c | tr -s ' ' | paste -sd, -)"
instance_accounts="$(aws cloudformation list-stack-instances --stack-set-name force-mfa --query 'Summaries[].Account' --output text 2>/dev/null | sorted_words)"
instances="$(aws cloudformation list-stack-instances --stack-set-name force-mfa --query 'Summaries[].[Account,Region,Status]' --output text 2>/dev/null | tr '\t\n' ' ;')"
set_status="$(aws cloudformation describe-stack-set --stack-set-name force-mfa --query 'StackSet.[Status,PermissionModel,AutoDeployment.Enabled]' --output text 2>&1 | tr '\t' ' ')"
asked_set="$(grep '^Action=CreateStackSet' "$PROXY_LOG.bodies" | tr '&' '\n' | grep -E '^(PermissionModel|AutoDeployment)' | paste -sd' ' -)"
pass_if "deploy --org creates the stack set" "describe-stack-set [Status PermissionModel AutoDeployment.Enabled]: $set_status; CreateStackSet asked for: ${asked_set:-<no request>}" \
  bash -c '[[ "$1" == "ACTIVE SERVICE_MANAGED"* ]]' _ "$set_status"
requested="$(grep '^Action=CreateStackInstances' "$PROXY_LOG.bodies" | tr '&' '\n' | grep -E '^(DeploymentTargets|Regions)' | sed 's/\.member\.[0-9]*=/=/' | LC_ALL=C sort -u | paste -sd' ' -)"
note "CreateStackInstances asked for: ${requested:-<no request>} (root $ROOT_ID)"
if [[ -n "$instance_accounts" ]]; then
  same "stack instances for the member accounts (exit $rc)" "$(echo "${MEMBERS[*]}" | sorted_words)" "$instance_accounts"
  note "instances: $instances"
elif [[ -n "$MOTO_PID" ]] && grep -q "has_cfn_attr" "$WORK/moto.log" \
     && [[ "$requested" == *"DeploymentTargets.OrganizationalUnitIds=$ROOT_ID"* && "$requested" == *"Regions=$AWS_REGION"* ]]; then
  unsupported "stack instances for the member accounts" \
    "force-mfa requested them for $ROOT_ID in $AWS_REGION, but moto failed the request with HTTP 500 (AttributeError has_cfn_attr: no CloudFormation model of AWS::IAM::Group for the Outputs' Fn::GetAtt); force-mfa exit $rc: $(grep -m1 'CreateStackInstances' "$WORK/org-deploy.err" | head -c 160)"
else
  fail_now "stack instances for the member accounts (exit $rc)" "none listed; stderr tail: $(tail -c 300 "$WORK/org-deploy.err" | tr '\n' ' ')"
fi

fm destroy --org --yes >"$WORK/org-destroy.out" 2>"$WORK/org-destroy.err"
rc=$?
left="$(aws cloudformation describe-stack-set --stack-set-name force-mfa --query StackSet.Status --output text 2>&1 | tail -1)"
pass_if "destroy --org --yes (exit $rc) deletes the stack set" "describe-stack-set afterwards: $left; stderr tail: $(tail -c 160 "$WORK/org-destroy.err" | tr '\n' ' ')" \
  bash -c '[[ $1 -eq 0 && ( $2 == *NotFound* || $2 == *"not found"* || $2 == DELETED ) ]]' _ "$rc" "$left"

# --- summary --------------------------------------------------------------------------------------------------------

echo
echo "endpoint $AWS_ENDPOINT_URL: $PASSES passed, $FAILS failed, $UNSUPPORTED not supported by the endpoint (N/A)"
for name in "${FAILED_NAMES[@]}"; do echo "  failed: $name"; done
[[ $FAILS -eq 0 ]]
