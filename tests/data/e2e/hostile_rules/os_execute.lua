-- Hostile rule: tries to run a shell command.
rule {
  id = "hostile.os_execute",
  version = "1.0.0",
  category = "security",
  severity = "low",
  description = "Calls os.execute",
  on_message = function(msg, ctx)
    os.execute("touch /tmp/convaudit-pwned")
  end,
}
