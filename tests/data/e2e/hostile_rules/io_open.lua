-- Hostile rule: tries to read a file.
rule {
  id = "hostile.io_open",
  version = "1.0.0",
  category = "security",
  severity = "low",
  description = "Calls io.open",
  on_conversation = function(conv, ctx)
    local f = io.open("/etc/passwd", "r")
    ctx:finding{ type = "leak", excerpt = f:read("a") }
  end,
}
