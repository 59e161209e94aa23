"""untangle in Bazel: an aspect that analyzes each C/C++ source of the cc_* targets it visits.

One action per source file, with the target's own compile command (the C++ toolchain's
flags, the compilation context's includes and defines, the target's copts), writes a JSON
report. Every file the action reads from the workspace is declared (the source, the headers
of the compilation context, the .untangle files of --@untangle_bazel//:config, the untangle
binary), so the action runs in the sandbox and on remote executors, and its report is cached
like any other output. Reports name files relative to the execution root (--relative-paths),
so they mean the same wherever they were made.

    bazel build //app --aspects=@untangle_bazel//:untangle.bzl%untangle_aspect \\
        --output_groups=untangle

untangle_sarif merges the reports of its deps and their dependencies into one SARIF log:

    untangle_sarif(name = "untangle_sarif", deps = ["//app"])
    bazel run //app:untangle_sarif -- -o untangle.sarif

See docs/usage.md, "Bazel: an aspect".
"""

load("@bazel_tools//tools/build_defs/cc:action_names.bzl", "CPP_COMPILE_ACTION_NAME", "C_COMPILE_ACTION_NAME")
load("@bazel_tools//tools/cpp:toolchain_utils.bzl", "find_cpp_toolchain")

UntangleReportsInfo = provider(
    doc = "The JSON reports of a target and of everything it depends on.",
    fields = {"reports": "depset of JSON report files"},
)

_C_SOURCES = ["c"]
_CXX_SOURCES = ["cc", "cpp", "cxx", "c++", "C"]

# gcc accepts them, clang rejects them as unknown arguments (an error, not a warning):
# Bazel's auto-configured gcc toolchain passes -fno-canonical-system-headers on every compile.
_GCC_ONLY_FLAGS = [
    "-fno-canonical-system-headers",
]

# The binary every action runs (--@untangle_bazel//:untangle): an input like any other.
_UNTANGLE = attr.label(
    default = Label("//:untangle"),
    executable = True,
    cfg = "exec",
    allow_single_file = True,
)

def _compile_flags(ctx, target, cc_toolchain, feature_configuration, source, is_c):
    """The toolchain's command line for compiling `source` in `target`, without its output flags."""
    compilation_context = target[CcInfo].compilation_context
    cpp = ctx.fragments.cpp
    user_flags = cpp.copts + (cpp.conlyopts if is_c else cpp.cxxopts) + getattr(ctx.rule.attr, "copts", [])
    variables = cc_common.create_compile_variables(
        feature_configuration = feature_configuration,
        cc_toolchain = cc_toolchain,
        user_compile_flags = user_flags,
        source_file = source.path,
        include_directories = compilation_context.includes,
        quote_include_directories = compilation_context.quote_includes,
        system_include_directories = compilation_context.system_includes,
        framework_include_directories = compilation_context.framework_includes,
        preprocessor_defines = depset(
            getattr(ctx.rule.attr, "local_defines", []),
            transitive = [compilation_context.defines],
        ),
    )
    action = C_COMPILE_ACTION_NAME if is_c else CPP_COMPILE_ACTION_NAME
    flags = cc_common.get_memory_inefficient_command_line(
        feature_configuration = feature_configuration,
        action_name = action,
        variables = variables,
    )
    compiler = cc_common.get_tool_for_action(
        feature_configuration = feature_configuration,
        action_name = action,
    )
    return [compiler] + [flag for flag in flags if flag not in _GCC_ONLY_FLAGS]

def _report_of(ctx, target, source):
    # One directory per target: two targets may compile the same source.
    path = source.short_path
    package = target.label.package + "/"
    if path.startswith(package):
        path = path[len(package):]
    return ctx.actions.declare_file("_untangle/%s/%s.json" % (target.label.name, path.replace("../", "external/")))

def _untangle_aspect_impl(target, ctx):
    transitive = [dep[UntangleReportsInfo].reports for dep in getattr(ctx.rule.attr, "deps", []) if UntangleReportsInfo in dep]

    # Code of other repositories is theirs to analyze, as with compiler warnings.
    own_code = not target.label.workspace_root.startswith("external/")
    srcs = []
    if own_code and CcInfo in target:
        srcs = [f for src in getattr(ctx.rule.attr, "srcs", []) for f in src.files.to_list()]
    sources = [f for f in srcs if f.extension in _C_SOURCES + _CXX_SOURCES]

    reports = []
    if sources:
        cc_toolchain = find_cpp_toolchain(ctx)
        feature_configuration = cc_common.configure_features(
            ctx = ctx,
            cc_toolchain = cc_toolchain,
            requested_features = ctx.features,
            unsupported_features = ctx.disabled_features,
        )
        untangle = ctx.executable._untangle
        config_files = ctx.attr._config.files

        # Private headers (srcs that are not sources) are not always in the compilation
        # context. The other sources are not inputs: editing one re-runs only its action.
        private_headers = [f for f in srcs if f not in sources]
        inputs = depset(
            [untangle] + private_headers,
            transitive = [target[CcInfo].compilation_context.headers, config_files, cc_toolchain.all_files],
        )
        for source in sources:
            is_c = source.extension in _C_SOURCES
            report = _report_of(ctx, target, source)
            args = ctx.actions.args()
            args.add(untangle)
            args.add_all(["--quiet", "--no-cache", "--format=json", "--relative-paths", "-o", report])
            if not is_c:
                args.add("--extra-arg-before=--driver-mode=g++")
            args.add(source)
            args.add("--")
            args.add_all(_compile_flags(ctx, target, cc_toolchain, feature_configuration, source, is_c))
            ctx.actions.run_shell(
                # Exit code 1 (findings promoted to errors) still writes the report: the
                # merge of the reports decides, with the same exit code.
                command = '"$@" || [ $? -eq 1 ]',
                arguments = [args],
                inputs = depset([source], transitive = [inputs]),
                outputs = [report],
                mnemonic = "Untangle",
                progress_message = "untangle %s" % source.short_path,
            )
            reports.append(report)

    all_reports = depset(reports, transitive = transitive)
    return [
        UntangleReportsInfo(reports = all_reports),
        OutputGroupInfo(untangle = all_reports),
    ]

untangle_aspect = aspect(
    implementation = _untangle_aspect_impl,
    attr_aspects = ["deps"],
    fragments = ["cpp"],
    attrs = {
        "_cc_toolchain": attr.label(default = Label("@bazel_tools//tools/cpp:current_cc_toolchain")),
        "_untangle": _UNTANGLE,
        "_config": attr.label(default = Label("//:config")),
    },
    doc = "Runs untangle on every C/C++ source of the cc_* targets it visits; output group 'untangle'.",
)

def _untangle_sarif_impl(ctx):
    reports = depset(transitive = [dep[UntangleReportsInfo].reports for dep in ctx.attr.deps])
    untangle = ctx.executable._untangle
    script = ctx.actions.declare_file(ctx.label.name + ".sh")

    # `bazel run` starts in the runfiles tree; the reports name the sources relative to
    # the execution root, which mirrors the workspace, so the merge runs in the workspace.
    ctx.actions.write(
        output = script,
        is_executable = True,
        content = """#!/bin/bash
set -euo pipefail
untangle="$PWD/{untangle}"
reports=()
while IFS= read -r report; do reports+=("$PWD/$report"); done <<'REPORTS'
{reports}
REPORTS
cd "${{BUILD_WORKSPACE_DIRECTORY:?run me with bazel run}}"
exec "$untangle" --merge --format=sarif "${{reports[@]}}" "$@"
""".format(
            untangle = untangle.short_path,
            reports = "\n".join([r.short_path for r in reports.to_list()]),
        ),
    )
    return [DefaultInfo(
        executable = script,
        runfiles = ctx.runfiles(files = [untangle], transitive_files = reports),
    )]

untangle_sarif = rule(
    implementation = _untangle_sarif_impl,
    executable = True,
    attrs = {
        "deps": attr.label_list(aspects = [untangle_aspect], doc = "cc_* targets to analyze, with their dependencies."),
        "_untangle": _UNTANGLE,
    },
    doc = "`bazel run` merges the untangle reports of `deps` into one SARIF log (untangle --merge; arguments are passed on, e.g. -o FILE).",
)
