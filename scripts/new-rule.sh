#!/usr/bin/env bash
# Scaffolds a new rule: scripts/new-rule.sh <domain> <name> [severity]
#
#   domain    docker | k8s | yaml | airflow | helm | secrets
#   name      the rule's catalogue name, kebab-case (run-as-non-root)
#   severity  error | warning | note (default: warning; see docs/severity.md)
#
# Takes the next free ID of the domain (IDs are public: never reuse or
# renumber one), creates the rule source (rule! macro, Findings), its
# metadata, one fail and one pass fixture, registers the rule in the
# domain's mod.rs and RULES list, and prints what is left to do. See
# docs/adding-a-rule.md.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  echo "usage: scripts/new-rule.sh <docker|k8s|yaml|airflow|helm|secrets> <kebab-case-name> [error|warning|note]" >&2
  exit 2
}
[ $# -ge 2 ] && [ $# -le 3 ] || usage
domain=$1
name=$2
severity=${3:-warning}

case "$domain" in
  docker)  prefix=AFD; fixture=Dockerfile ;;
  k8s)     prefix=AFK; fixture=deployment.yaml ;;
  yaml)    prefix=AFY; fixture=manifest.yaml ;;
  airflow) prefix=AFC; fixture=airflow.cfg ;;
  helm)    prefix=AFH; fixture=values.yaml ;;
  secrets) prefix=AFS; fixture=config.yaml ;;
  *) echo "unknown domain \`$domain\`" >&2; usage ;;
esac
case "$severity" in
  error|warning|note) ;;
  *) echo "severity must be error, warning or note, not \`$severity\`" >&2; usage ;;
esac
if ! [[ "$name" =~ ^[a-z0-9]+(-[a-z0-9]+)*$ ]]; then
  echo "the name must be kebab-case (lower-case words joined by -), not \`$name\`" >&2
  exit 2
fi
if grep -qx "name: $name" rules/*/*.yaml; then
  echo "a rule is already named \`$name\`: $(grep -lx "name: $name" rules/*/*.yaml)" >&2
  exit 2
fi

# The next free number: above every ID the domain ever used (metadata,
# sources, fixtures, docs pages), so a removed rule's ID is not reused.
last=$( { ls rules/"$domain" fixtures/"$domain" docs/rules 2>/dev/null
          ls src/rules/"$domain" 2>/dev/null | tr '[:lower:]' '[:upper:]'; } \
        | grep -oE "^$prefix[0-9]{3}" | sed "s/^$prefix//" | sort -n | tail -n 1)
num=$(printf '%03d' $((10#${last:-0} + 1)))
id="$prefix$num"
lower=$(echo "$id" | tr '[:upper:]' '[:lower:]')
type="${prefix:0:1}$(echo "${prefix:1}" | tr '[:upper:]' '[:lower:]')$num"
slug="${lower}_${name//-/_}"
src="src/rules/$domain/$slug.rs"
meta="rules/$domain/$id.yaml"
fix_dir="fixtures/$domain/$id"
mod="src/rules/$domain/mod.rs"

categories=$(grep -h '^category:' rules/*/*.yaml | sed 's/category: //' | sort -u | tr '\n' ' ')

for p in "$src" "$meta" "$fix_dir"; do
  if [ -e "$p" ]; then echo "$p exists already" >&2; exit 2; fi
done

# The rule: a unit struct from rule!, reporting through Findings (which files
# every finding under this rule; the ID is written once, here).
cat > "$src" <<EOF
//! $id $name: TODO one line on what the rule reports.

use crate::rules::{FileCx, Findings};

crate::rule!($type, "$id", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        // TODO: read the model built once per file (\`cx.parsed()\`,
        // \`cx.analyzed\`; never re-parse) and report each problem at its span:
        //     out.push(
        //         crate::finding::Finding::new(span, "what is wrong, specifically")
        //             .with_help("how to fix this occurrence"),
        //     );
        // A mechanical fix: \`.with_edits(Applicability::Safe, vec![Edit::replace(..)])\`
        // (then add \`fixable: safe\` to $meta and a fixed/ fixture).
        // A check across files: implement \`check_project\` instead.
        let _ = (cx, out);
    }
});
EOF

cat > "$meta" <<EOF
id: $id
name: $name
severity: $severity
category: TODO
summary: TODO one sentence, what the rule reports.
rationale: |
  TODO why it matters: what an attacker or an outage gains from it.
fix: |
  TODO how to fix it, in one or two sentences.
references:
  - TODO https://...
equivalents:
  hadolint: []
  kube-linter: []
  checkov: []
  polaris: []
  kube-score: []
  airflow: []
  gitleaks: []
tags: [$domain]
EOF

mkdir -p "$fix_dir/fail" "$fix_dir/pass"
cat > "$fix_dir/fail/$fixture" <<EOF
# TODO: a minimal file where $id fires; the comment marks the next line.
# expect: $id
EOF
cat > "$fix_dir/pass/$fixture" <<EOF
# TODO: the same file, fixed: $id must not fire.
EOF

# Register: \`mod\` and \`pub use\` after the domain's last rule, the type at
# the end of RULES.
awk -v slug="$slug" -v type="$type" -v pre="$(echo "$prefix" | tr '[:upper:]' '[:lower:]')" '
  { lines[NR] = $0 }
  $0 ~ "^mod " pre "[0-9]+_" { last_mod = NR }
  $0 ~ "^pub use " pre "[0-9]+_" { last_use = NR }
  /^pub static RULES/ { in_rules = 1 }
  in_rules && /\];[[:space:]]*$/ { rules_end = NR; in_rules = 0 }
  END {
    if (!last_mod || !last_use || !rules_end) { exit 1 }
    for (i = 1; i <= NR; i++) {
      if (i == rules_end && lines[i] ~ /^pub static RULES/) {
        sub(/\];[[:space:]]*$/, ", \\&" type "];", lines[i])
      } else if (i == rules_end) {
        print "    &" type ","
      }
      print lines[i]
      if (i == last_mod) { print "mod " slug ";" }
      if (i == last_use) { print "pub use " slug "::" type ";" }
    }
  }' "$mod" > "$mod.new" || { rm -f "$mod.new"; echo "could not register the rule in $mod: add it by hand" >&2; exit 1; }
mv "$mod.new" "$mod"
if command -v rustfmt >/dev/null; then rustfmt --edition 2024 "$mod" "$src" || true; fi

cat <<EOF
Created $id ($name):
  $src
  $meta
  $fix_dir/fail/$fixture
  $fix_dir/pass/$fixture
  registered in $mod (mod, pub use, RULES)

Next:
  1. Write the check in $src and fill the TODOs in $meta (category: one of
     $categories).
  2. Make the fixtures real: fail/ files mark each finding with \`# expect: $id\`
     (on the line, or on its own line before it); pass/ files must stay clean.
     Add \`fixable: safe|unsafe|mixed\` to the metadata and a fixed/ fixture
     when the rule attaches edits.
  3. Generate the docs page and the snapshots, and review them:
       AFCHECK_BLESS=1 cargo test --test docs
       INSTA_UPDATE=always cargo test --test snapshots
       git diff; git status docs/rules tests/snapshots
  4. Run the rule over ../shared/corpus and read what fires:
       cargo run --release -- --select $id ../shared/corpus
  5. cargo test --test fixtures --test catalogue --test snapshots --test docs
EOF
