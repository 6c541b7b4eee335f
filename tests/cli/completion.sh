#!/bin/bash
# The generated bash completion completes services, verbs and a command's flags;
# the zsh one at least parses (when zsh is installed).
set -eu
bash_file=$1
zsh_file=$2
# shellcheck disable=SC1090
source "$bash_file"
complete_words() {
  COMP_WORDS=("$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  _scalekit
  echo "${COMPREPLY[*]}"
}
check() {
  got=$1 want=$2
  case " $got " in *" $want "*) ;; *) echo "completion of '$3' gave '$got', lacks '$want'"; exit 1 ;; esac
}
check "$(complete_words scalekit org)" organizations "scalekit org"
check "$(complete_words scalekit organizations cr)" create "scalekit organizations cr"
check "$(complete_words scalekit users create org_1 a@b.c --send)" --send-invitation-email "users create --send"
check "$(complete_words scalekit webhook listen --for)" --forward "webhook listen --for"
check "$(complete_words scalekit login --no)" --no-browser "login --no"
check "$(complete_words scalekit organizations list --out)" --output "a global flag"
# A flag of another command is not offered.
got=$(complete_words scalekit organizations list --forw)
[ -z "$got" ] || { echo "organizations list offered '$got' for --forw"; exit 1; }
if command -v zsh >/dev/null 2>&1; then zsh -n "$zsh_file"; fi
echo "completions: ok"
