-- Hostile rule: allocates without bound. The memory budget must stop it.
rule {
  id = "hostile.memory_bomb",
  version = "1.0.0",
  category = "security",
  severity = "low",
  description = "Doubles a string until memory runs out",
  on_message = function(msg, ctx)
    local s = "x"
    local keep = {}
    while true do
      s = s .. s
      keep[#keep + 1] = s
    end
  end,
}
