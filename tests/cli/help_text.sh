#!/usr/bin/env bash
# Each command's long help is data (docs/commands/NAME.txt, "data-pack" for `data pack`): its
# --help prints the file's text after the options, verbatim; every command has one; a command
# that has none is listed here as an error.
set -euo pipefail
: "${REGNET_EXPLORE:?}" "${REGNET_SOURCE_DIR:?}"
fail() { echo "FAIL: $*" >&2; exit 1; }
help_dir=$REGNET_SOURCE_DIR/docs/commands

for file in "$help_dir"/*.txt; do
  name=$(basename "$file" .txt)
  words=("$name")
  [[ $name == data-* ]] && words=(data "${name#data-}")
  out=$("$REGNET_EXPLORE" "${words[@]}" --help) || fail "${words[*]} --help exited $?"
  [[ $out == *"$(cat "$file")"* ]] || fail "${words[*]} --help does not end with $file"
done

# Every listed command (and the hidden stats) has a help file.
for cmd in $("$REGNET_EXPLORE" --help | awk 'tolower($0) ~ /^subcommands:/ {on=1; next} on && NF {print $1}') stats bench-train; do
  [[ -f $help_dir/$cmd.txt ]] || fail "no $help_dir/$cmd.txt for '$cmd'"
done
echo "ok: $(ls "$help_dir"/*.txt | wc -l) help files, each printed by its command's --help"
