"""untangle_tool: the untangle binary as a repository, for the aspect's default --@untangle_bazel//:untangle."""

def _untangle_tool_impl(repository_ctx):
    path = repository_ctx.attr.path or repository_ctx.os.environ.get("UNTANGLE", "")
    if not path:
        found = repository_ctx.which("untangle")
        path = str(found) if found else ""
    if not path:
        fail("untangle_tool: no untangle binary; set path = ..., UNTANGLE " +
             "(--repo_env=UNTANGLE=/path/to/untangle) or put untangle on PATH")
    binary = repository_ctx.path(path)
    if not binary.exists:
        fail("untangle_tool: '%s' does not exist" % path)

    # A symlink: the kernel resolves it when the action runs the binary, so untangle
    # finds its shared libraries and clang's resource directory from its real place.
    repository_ctx.symlink(binary, "untangle")
    repository_ctx.file("BUILD", 'exports_files(["untangle"], visibility = ["//visibility:public"])\n')

untangle_tool = repository_rule(
    implementation = _untangle_tool_impl,
    attrs = {"path": attr.string(doc = "Absolute path of the untangle binary.")},
    environ = ["UNTANGLE", "PATH"],
    local = True,
    doc = "The untangle binary at `path`, else $UNTANGLE, else on PATH, as @<name>//:untangle.",
)
