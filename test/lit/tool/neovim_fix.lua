-- Neovim's built-in LSP client against `untangle lsp` (lsp-neovim.test), headless.
-- The setup is the one docs/editors.md shows for Neovim 0.7 (Debian 12's); then, as a
-- user would: open the file, wait for the diagnostic, ask for the code action (the
-- selection menu answered with its first entry), let Neovim apply it, write the file.
-- Each step is written to $NEOVIM_LOG, one line per fact, for FileCheck. Exits with a
-- non-zero code (cquit) when a step does not happen in time.
local untangle = assert(os.getenv('UNTANGLE'), 'UNTANGLE: the untangle executable')
local file = assert(os.getenv('NEOVIM_FILE'), 'NEOVIM_FILE: the file to fix')
local log = assert(io.open(assert(os.getenv('NEOVIM_LOG')), 'w'))
local timeout = tonumber(os.getenv('NEOVIM_TIMEOUT_MS') or '300000')

local function say(line)
  log:write(line .. '\n')
  log:flush()
end

local function fail(why)
  say('FAILED: ' .. why)
  vim.cmd('cquit 1')
end

-- docs/editors.md, "Neovim 0.7".
vim.api.nvim_create_autocmd('FileType', {
  pattern = { 'c', 'cpp' },
  callback = function(args)
    local client = vim.lsp.start_client({
      name = 'untangle',
      cmd = { untangle, 'lsp' },
      root_dir = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(args.buf), ':p:h'),
    })
    vim.lsp.buf_attach_client(args.buf, client)
  end,
})

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
if not vim.wait(timeout, function() return #vim.diagnostic.get(buf) > 0 end, 100) then
  return fail('no diagnostic')
end
local diagnostics = vim.diagnostic.get(buf)
for _, d in ipairs(diagnostics) do
  say(string.format('diagnostic %d:%d %s: %s', d.lnum + 1, d.col + 1, d.source or '?', d.message))
end

-- The code action menu: its entries are logged, the first one is chosen.
vim.ui.select = function(items, opts, on_choice)
  for _, item in ipairs(items) do
    say('code action: ' .. opts.format_item(item))
  end
  on_choice(items[1], 1)
end
vim.api.nvim_win_set_cursor(0, { diagnostics[1].lnum + 1, diagnostics[1].col })
vim.lsp.buf.code_action()
if not vim.wait(timeout, function() return vim.bo[buf].modified end, 100) then
  return fail('the code action did not change the buffer')
end
vim.cmd('write')
say('written: ' .. vim.fn.fnamemodify(file, ':t'))

-- The server sees the new text: no finding is left.
if not vim.wait(timeout, function() return #vim.diagnostic.get(buf) == 0 end, 100) then
  return fail('diagnostics remain after the fix')
end
say('diagnostics after the fix: 0')
vim.lsp.stop_client(vim.lsp.get_active_clients())
vim.cmd('qall!')
