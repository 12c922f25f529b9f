-- Hostile rule: never returns. The CPU budget must stop it, even through its own pcall.
rule {
  id = "hostile.endless_loop",
  version = "1.0.0",
  category = "security",
  severity = "low",
  description = "Loops forever on every message",
  on_message = function(msg, ctx)
    pcall(function()
      while true do end
    end)
    while true do end
  end,
}
