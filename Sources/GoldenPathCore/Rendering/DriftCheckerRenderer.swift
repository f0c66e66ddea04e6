/// Renders `.github/goldenpath-check.sh`: the drift check as a bash script that needs only coreutils, sed and grep,
/// so CI can run it in a repository with no Swift and no goldenpath.
///
/// Every generated file's header records the SHA-256 of its sources (as `sha256sum SOURCES | sha256sum` prints it)
/// and of its own text below the header. The script recomputes both and tells a missing, stale (sources changed),
/// hand-edited (text changed) and generator-changed (another version wrote it) file apart, like `goldenpath check`,
/// with the same words (`DriftReport.Explanation`). It also notices a file added to or removed from `targets/`, a
/// changed manifest and a file the generator no longer produces. What it cannot see is a file whose header hashes
/// were edited together with its text: `goldenpath check`, which regenerates and compares the full text, does.
///
/// The script is itself a generated output: it checks its own header like the others, and `goldenpath check`
/// compares it in full.
public enum DriftCheckerRenderer {
    /// Where `generate` writes the script.
    public static let path = ".github/goldenpath-check.sh"
    /// The command that runs it, the default of `check:` in `targets/project.yml`.
    public static let command = "bash \(path)"

    /// One generated file and the sources its header hashes, in the header's order.
    public struct Output: Hashable, Sendable {
        public var path: String
        public var sources: [String]

        public init(path: String, sources: [String]) {
            self.path = path
            self.sources = sources
        }
    }

    /// The script body (without the header). `outputs` are the files with a generated header other than the script
    /// itself; `checkerSources` the sources of the script's own header; `targetFiles` every file of `targets/` read;
    /// `manifest` the text of `.goldenpath-manifest`.
    ///
    /// `contract` holds the names of the secrets contract (`SecretsContract`): every `secrets.NAME` and `vars.NAME` a
    /// workflow reads must be one of them, as `goldenpath check` requires.
    public static func render(outputs: [Output], checkerSources: [String], targetFiles: [String], manifest: String,
                              version: String, regenerateCommand: String, contract: [String] = []) -> String {
        let q = MakeSyntax.shellQuote
        var out = """
            # shellcheck shell=bash
            # Checks that the files goldenpath generated are current, with bash, coreutils, sed and grep only (no Swift, no
            # goldenpath): each generated file's header holds the sha256 of its sources and of its own text below the header.
            # It cannot see a file whose header hashes were edited together with its text; `goldenpath check` can.
            #
            # Usage: bash \(path) [FILE...]   (from any folder; FILE limits the check to those generated files)
            # Exit 0 when every file is current, 1 when one is not (each is named with what is wrong), 2 on bad usage.
            set -euo pipefail
            export LC_ALL=C
            # The folder above this script's. Builtins only where a process per call would add up: the Makefile runs this
            # script for its own freshness check.
            case ${BASH_SOURCE[0]} in */*) cd "${BASH_SOURCE[0]%/*}/.." ;; *) cd .. ;; esac

            version=\(q(version))
            fix=\(q(regenerateCommand))
            produced=\(q((outputs.map(\.path) + [path]).sorted().joined(separator: "\n")))
            only=("$@")
            for name in "${only[@]}"; do
              case $'\n'"$produced"$'\n' in
                *$'\n'"$name"$'\n'*) ;;
                *)
                  printf 'error: %s is not a file goldenpath generates here; the generated files are:\n%s\n' "$name" "$produced" >&2
                  exit 2
                  ;;
              esac
            done
            checked=0
            findings=0
            hand_edited=0

            # report FILE KIND EXPLANATION
            report() {
              printf '%s: %s: %s\\n' "$1" "$2" "$3" >&2
              findings=$((findings + 1))
              if [ "$2" = \(q(DriftReport.Kind.handEdited.rawValue)) ]; then hand_edited=1; fi
            }

            # wanted FILE: whether FILE is to be checked (every file when no FILE was named).
            wanted() {
              [ ${#only[@]} -eq 0 ] && return 0
              local name
              for name in "${only[@]}"; do [ "$name" = "$1" ] && return 0; done
              return 1
            }

            # check_file FILE SOURCE...: FILE's header against its text, this script's version and SOURCE's contents.
            check_file() {
              local file=$1 line number=0 ended=0 recorded_version='' recorded_inputs='' recorded_output='' hash source
              shift
              wanted "$file" || return 0
              checked=$((checked + 1))
              if [ ! -f "$file" ]; then
                report "$file" \(q(DriftReport.Kind.missing.rawValue)) \(q(DriftReport.Explanation.missing))
                return 0
              fi
              # The header, read by the shell itself up to its end line: the first value of each key counts.
              {
                IFS= read -r line || :
                if [[ $line == '# Generated by goldenpath'* ]]; then
                  number=1
                  while IFS= read -r line || [ -n "$line" ]; do
                    number=$((number + 1))
                    case $line in
                      \(q(GeneratedHeader.endLine))) ended=1; break ;;
                      \(q(GeneratedHeader.versionKey))*) [ -n "$recorded_version" ] || recorded_version=${line#\(q(GeneratedHeader.versionKey))} ;;
                      \(q(GeneratedHeader.inputsKey))*) [ -n "$recorded_inputs" ] || recorded_inputs=${line#\(q(GeneratedHeader.inputsKey))} ;;
                      \(q(GeneratedHeader.bodyKey))*) [ -n "$recorded_output" ] || recorded_output=${line#\(q(GeneratedHeader.bodyKey))} ;;
                    esac
                    line=''
                  done
                fi
              } <"$file"
              if [ "$ended" -ne 1 ]; then
                report "$file" \(q(DriftReport.Kind.handEdited.rawValue)) \(q(DriftReport.Explanation.damagedHeader))
                return 0
              fi
              hash=$(tail -n "+$((number + 1))" -- "$file" | sha256sum) || :
              if [ "${hash%% *}" != "$recorded_output" ]; then
                report "$file" \(q(DriftReport.Kind.handEdited.rawValue)) \(q(DriftReport.Explanation.handEdited))
                return 0
              fi
              if [ "$recorded_version" != "$version" ]; then
                report "$file" \(q(DriftReport.Kind.generatorChanged.rawValue)) "goldenpath $recorded_version wrote it; this check is from goldenpath $version"
                return 0
              fi
              for source in "$@"; do
                if [ ! -f "$source" ]; then
                  report "$file" \(q(DriftReport.Kind.stale.rawValue)) "its source $source no longer exists"
                  return 0
                fi
              done
              hash=$(sha256sum -- "$@" | sha256sum) || :
              if [ "${hash%% *}" != "$recorded_inputs" ]; then
                report "$file" \(q(DriftReport.Kind.stale.rawValue)) \(q(DriftReport.Explanation.stale))
              fi
            }


            """
        out += "# Each generated file, then the sources its header hashes.\n"
        for output in outputs + [Output(path: path, sources: checkerSources)] {
            out += "check_file \(([output.path] + output.sources).map(q).joined(separator: " "))\n"
        }
        out += """

            # The files of targets/ the outputs were generated from: one added or removed makes every output stale.
            if [ ${#only[@]} -eq 0 ]; then
              expected_targets=\(q(targetFiles.sorted().joined(separator: "\n")))
              actual_targets=$(find targets -maxdepth 1 -type f \\( -name '*.yml' -o -name '*.yaml' \\) 2>/dev/null | sort)
              while IFS= read -r name; do
                [ -n "$name" ] || continue
                report "$name" \(q(DriftReport.Kind.stale.rawValue)) 'it was added to targets/ after the files were generated'
              done < <(comm -13 <(printf '%s\\n' "$expected_targets") <(printf '%s\\n' "$actual_targets"))

              # The manifest lists what was generated; a listed file no longer produced must go.
              checked=$((checked + 1))
              manifest=\(q(Manifest.path))
              if [ ! -f "$manifest" ]; then
                report "$manifest" \(q(DriftReport.Kind.missing.rawValue)) \(q(DriftReport.Explanation.missing))
              elif [ "$(sha256sum < "$manifest" | cut -c1-64)" != \(q(SHA256.hex(manifest))) ]; then
                report "$manifest" \(q(DriftReport.Kind.differs.rawValue)) \(q(DriftReport.Explanation.differs))
              fi
              if [ -f "$manifest" ]; then
                while IFS= read -r name; do
                  case $name in '' | '#'*) continue ;; esac
                  if ! grep -qxF -- "$name" <<<"$produced" && [ -f "$name" ]; then
                    report "$name" \(q(DriftReport.Kind.obsolete.rawValue)) \(q(DriftReport.Explanation.obsolete))
                  fi
                done < "$manifest"
              fi
              # A workflow that carries the generated header, but that nothing produces and the manifest does not
              # list, passes for generated without being so.
              for name in .github/workflows/*.yml .github/workflows/*.yaml; do
                [ -f "$name" ] || continue
                if grep -qxF -- "$name" <<<"$produced" || { [ -f "$manifest" ] && grep -qxF -- "$name" "$manifest"; }; then
                  continue
                fi
                if [ "$(head -c \(GeneratedHeader.firstLinePrefix.utf8.count) -- "$name")" = \(q(GeneratedHeader.firstLinePrefix)) ]; then
                  report "$name" \(q(DriftReport.Kind.unlisted.rawValue)) \(q(DriftReport.Explanation.unlisted))
                fi
              done
            fi

            # The secrets contract (`goldenpath secrets`): every secrets.NAME and vars.NAME a workflow reads is in it.
            outside=0
            if [ ${#only[@]} -eq 0 ]; then
              contract=\(q((contract + ["GITHUB_TOKEN"]).sorted().joined(separator: "\n")))
              for name in .github/workflows/*.yml .github/workflows/*.yaml; do
                [ -f "$name" ] || continue
                while IFS=: read -r line used; do
                  kind=secret
                  case $used in *vars.*) kind=variable ;; esac
                  used=${used##*.}
                  if ! grep -qxF -- "$used" <<<"$contract"; then
                    printf '%s:%s: error: the workflow reads %s %s, which the secrets contract does not list\\n' "$name" "$line" "$kind" "$used" >&2
                    outside=$((outside + 1))
                  fi
                done < <(grep -noE '(^|[^A-Za-z0-9_])(secrets|vars)[.][A-Za-z0-9_]+' -- "$name" || true)
              done
            fi

            if [ "$findings" -eq 0 ] && [ "$outside" -gt 0 ]; then
              printf '%s use(s) of secrets or variables outside the contract (goldenpath secrets).\\n' "$outside" >&2
              exit 1
            fi
            if [ "$findings" -gt 0 ]; then
              plural=s
              [ "$findings" -eq 1 ] && plural=
              printf '\\n%s generated file%s out of date.\\n' "$findings" "$plural" >&2
              if [ "$hand_edited" -eq 1 ]; then
                printf '%s\\n' \(q(DriftReport.Explanation.handEditedHint)) >&2
              fi
              printf 'fix: %s\\n' "$fix" >&2
              exit 1
            fi
            printf 'ok: %s generated files match their sources (header hashes)\\n' "$checked"

            """
        return out
    }
}
