# lit configuration of untangle's tool tests. Loaded by the generated lit.site.cfg.py.
import os
import shutil

import lit.formats

config.name = "untangle"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".cpp", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "check_untangle.py", "expect_exit.py", "check_sarif.py",
                   "check_html.py", "lsp_client.py", "lsp_background.py",
                   "lsp_isolation.py", "neovim_fix.lua"]
config.test_source_root = config.untangle_lit_src
config.test_exec_root = config.untangle_obj_root

# FileCheck, not, count, split-file come with LLVM's tools.
config.environment["PATH"] = os.pathsep.join(
    [config.llvm_tools_dir, config.environment.get("PATH", os.environ.get("PATH", ""))])
# Diagnostics must not depend on the terminal or the user's configuration.
config.environment["TERM"] = "dumb"
# Results are cached between runs (tool/inputs/ResultCache.h); tests get a cache of their own,
# never the user's. Tests of the cache itself pass --cache-dir.
config.environment["UNTANGLE_CACHE_DIR"] = os.path.join(config.untangle_obj_root, "cache")

runner = os.path.join(config.untangle_lit_src, "check_untangle.py")
config.substitutions.append(
    ("%check_untangle",
     f'"{config.python}" "{runner}" --untangle="{config.untangle}" '
     f'--clang-tidy="{config.clang_tidy}" --plugin="{config.untangle_plugin}"'))
config.substitutions.append(
    ("%expect_exit", f'"{config.python}" "{os.path.join(config.untangle_lit_src, "expect_exit.py")}"'))
config.substitutions.append(("%untangle_plugin", config.untangle_plugin))
config.substitutions.append(("%untangle", config.untangle))
config.substitutions.append(("%clang_tidy", config.clang_tidy))
config.substitutions.append(
    ("%clangxx", os.path.join(config.llvm_tools_dir, "clang++")))
config.substitutions.append(("%clang_apply_replacements", config.clang_apply_replacements))
config.substitutions.append(("%python", config.python))
# Debian's Neovim (scripts/deps.sh), for the editor test (tool/lsp-neovim.test).
config.substitutions.append(("%nvim", shutil.which("nvim") or "nvim"))
config.substitutions.append(("%inputs", os.path.join(config.untangle_lit_src, "Inputs")))
config.substitutions.append(
    ("%runtime_include", os.path.join(config.untangle_src_root, "runtime", "include")))
