#pragma once
// Batch scripts are data, never code: every line of a generated sbatch script that carries a value
// is rendered here, for the reader of that line. sbatch reads the #SBATCH lines above the first
// command with a tokenizer of its own (SLURM 22.05, measured; docs/workers.md): whitespace splits
// words, "..." and '...' group, a backslash escapes the next byte, an unquoted '#' ends the line,
// and nothing carries a line break. An output path is a filename pattern besides: "%%" is one '%',
// and a backslash anywhere in it turns every pattern off. bash reads the lines below. So each
// value is quoted for its reader, and one that the reader cannot take back exactly is refused (an
// option value) or routed around by the caller (a log path: sbatch_filename).
#include <optional>
#include <string>
#include <vector>

namespace regnet {

// UserError naming `option` when `value` holds a control character (a byte below 0x20, or 0x7f):
// no quoting carries a line break through sbatch, and the others have no business in an option.
void check_sbatch_value(const std::string& option, const std::string& value);
// check_sbatch_value, and the argument must be an option ("-..."): a bare word on an #SBATCH line
// is no option of ours to pass on ("hetjob" would even split the job).
void check_sbatch_argument(const std::string& option, const std::string& argument);

// "#SBATCH --NAME=VALUE", quoted for sbatch's tokenizer; check_sbatch_value("--NAME", VALUE) first.
std::string sbatch_option(const std::string& name, const std::string& value);
// "#SBATCH ARGUMENT": one argument given verbatim (--sbatch-arg), quoted for sbatch's tokenizer;
// check_sbatch_argument(option, ARGUMENT) first.
std::string sbatch_argument(const std::string& option, const std::string& argument);

// `path` as the literal start of an sbatch output filename pattern ('%' doubled), or nullopt where
// sbatch cannot name it: a control character (it cannot be on the line) or a backslash (it would
// turn off the patterns that follow, and vanish).
std::optional<std::string> sbatch_filename(const std::string& path);

// `word` as one bash word on one line: shell_quote's form when it is printable ASCII, else $'...'
// with every other byte (and ' and \) escaped, so that bash reads back the same bytes.
std::string bash_word(const std::string& word);
// The words as one bash command line (bash_word each).
std::string bash_command(const std::vector<std::string>& words);
// "export NAME=VALUE"; NAME must be a shell identifier (std::invalid_argument otherwise: it is ours).
std::string bash_export(const std::string& name, const std::string& value);

// "# TEXT" with control characters as \xNN: free text stays one comment line.
std::string comment_line(const std::string& text);

}  // namespace regnet
