#!/usr/bin/env bash
# The untangle aspect (bazel/untangle.bzl) on the workspace beside this script, with
# Debian's bazel-bootstrap (4.2.3), offline: the aspect's reports through
# --output_groups=untangle, their merge through `bazel run //app:untangle_sarif`, both
# checked by check_reports.py; then that the sandbox hides what an action does not declare
# (a .untangle file, a header). Bazel's output base is under $WORK_DIR (the build tree):
# nothing is written into the source tree or $HOME. Run by ctest (test/bazel/CMakeLists.txt).
set -euo pipefail
: "${BAZEL:?}" "${UNTANGLE:?}" "${WORK_DIR:?}" "${PYTHON:?}"
if [[ ! -x $BAZEL ]]; then
  echo "run_aspect_test: no bazel at '$BAZEL'; scripts/deps.sh tool installs bazel-bootstrap" >&2
  exit 1
fi
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$WORK_DIR"
rm -f "$WORK_DIR/untangle.sarif" "$WORK_DIR/build_events.json"

bazel() {
  # --batch: no server outlives the test. The system bazelrc stays (Debian's install base),
  # the user's does not.
  "$BAZEL" --batch --nohome_rc --output_user_root="$WORK_DIR/user_root" \
    --output_base="$WORK_DIR/output_base" --host_jvm_args=-Xmx1g "$@"
}
common=(
  --symlink_prefix=/                  # no bazel-* links in the source tree
  --repo_env=UNTANGLE="$UNTANGLE"     # the untangle_tool repository's binary
  --strategy=Untangle=sandboxed       # an undeclared input fails instead of being read
)
aspect=(--aspects=@untangle_bazel//:untangle.bzl%untangle_aspect --output_groups=untangle)

cd "$here/workspace"
bazel build "${common[@]}" //app \
  "${aspect[@]}" \
  --build_event_json_file="$WORK_DIR/build_events.json"
# lib_b's finding is an error (lib_b/.untangle): the merge exits 1, as untangle does.
status=0
bazel run "${common[@]}" //app:untangle_sarif -- -o "$WORK_DIR/untangle.sarif" || status=$?
if ((status != 1)); then
  echo "run_aspect_test: bazel run //app:untangle_sarif exited $status, not 1 (lib_b's error)" >&2
  exit 1
fi
"$PYTHON" "$here/check_reports.py" "$here/workspace" "$WORK_DIR/build_events.json" \
  "$WORK_DIR/untangle.sarif"

# The sandbox is what makes the declarations matter: with the .untangle files left out
# of the inputs, lib_b's own option (lib_b/.untangle) is not seen, and its finding is gone.
bazel build "${common[@]}" //lib_b \
  "${aspect[@]}" \
  --@untangle_bazel//:config=@untangle_bazel//:no_config \
  --build_event_json_file="$WORK_DIR/undeclared_config_events.json"
"$PYTHON" "$here/check_reports.py" --without-config "$WORK_DIR/undeclared_config_events.json"

# A header that no target declares is not in the sandbox: untangle's action fails (clang
# cannot parse the file, exit code 2) rather than reading it from the workspace.
if bazel build "${common[@]}" //undeclared \
  "${aspect[@]}" \
  > "$WORK_DIR/undeclared_header.log" 2>&1; then
  echo "run_aspect_test: //undeclared built; its header is not declared" >&2
  exit 1
fi
if ! grep -q "untangle undeclared/steps.cc failed" "$WORK_DIR/undeclared_header.log" ||
  ! grep -q "'undeclared/steps.h' file not found" "$WORK_DIR/undeclared_header.log"; then
  cat "$WORK_DIR/undeclared_header.log" >&2
  echo "run_aspect_test: //undeclared failed, but not on its undeclared header" >&2
  exit 1
fi
echo "run_aspect_test: OK: an undeclared header is not found in the sandbox"
