-- Operations: usage metrics (tokens, cost), error replies, slow replies, and the risk that a
-- conversation escalates to a human, a complaint or a chargeback.
--
-- Metadata read (the same keys the report's operations section uses):
--   tokens, or usage.total_tokens, or usage.prompt_tokens + usage.completion_tokens
--   cost_usd, latency_ms, error (truthy) or status = "error"

local function any_of(patterns)
  return "(?i)(?:" .. table.concat(patterns, ")|(?:") .. ")"
end

-- A finite number from a metadata value (number or numeric string), or nil.
local function number_of(value)
  local number = tonumber(value)
  if number == nil or number ~= number or number == math.huge or number == -math.huge then
    return nil
  end
  return number
end

local function tokens_of(metadata)
  local tokens = number_of(metadata.tokens)
  if tokens then
    return tokens
  end
  local usage = metadata.usage
  if type(usage) ~= "table" then
    return nil
  end
  local total = number_of(usage.total_tokens)
  if total then
    return total
  end
  local prompt, completion = number_of(usage.prompt_tokens), number_of(usage.completion_tokens)
  if prompt or completion then
    return (prompt or 0) + (completion or 0)
  end
  return nil
end

local function is_error(metadata)
  local flag = metadata.error
  if flag == nil or flag == false or flag == "" or flag == "false" or flag == "0" or flag == 0 then
    return metadata.status == "error"
  end
  return true
end

local ERROR_TEXT = any_of({
  [[\b(an?\s+)?(internal|unexpected|server|system|technical)\s+error\b]],
  [[\bsomething\s+went\s+wrong\b]],
  [[\b(error|status)\s+(code\s+)?(500|502|503|504)\b]],
  [[\b(request|service)\s+(timed\s+out|is\s+unavailable|unavailable)\b]],
  [[\b(i'?m|i\s+am)\s+having\s+(technical\s+)?(trouble|issues|problems)\s+(right\s+now|at\s+the\s+moment|connecting)\b]],
})

local SLOW_MS = 10000
local VERY_SLOW_MS = 30000

rule {
  id = "operations.usage",
  version = "1.0.0",
  kind = "metric",
  category = "operations",
  description = "Tokens and cost per conversation (metrics tokens and cost_usd), summed from message metadata",
  tags = { "operations", "cost" },
  examples = {
    { role = "assistant", text = "Here you go.", metadata = { tokens = 412, cost_usd = 0.0062 }, expect = true },
    { role = "assistant", text = "Here you go.", metadata = { usage = { prompt_tokens = 300, completion_tokens = 90 } }, expect = true },
    { role = "assistant", text = "Here you go.", expect = false },
  },
  on_conversation = function(conv, ctx)
    local tokens, cost = nil, nil
    for _, msg in ipairs(conv.messages) do
      local t = tokens_of(msg.metadata)
      if t then
        tokens = (tokens or 0) + t
      end
      local c = number_of(msg.metadata.cost_usd)
      if c then
        cost = (cost or 0) + c
      end
    end
    if tokens then
      ctx:metric("tokens", tokens)
    end
    if cost then
      ctx:metric("cost_usd", cost)
    end
  end,
}

rule {
  id = "operations.error",
  version = "1.0.0",
  category = "operations",
  severity = "medium",
  description = "A message flagged as an error in metadata (error, status = \"error\"), or an assistant reply that reports a technical failure",
  tags = { "operations", "reliability" },
  examples = {
    { role = "assistant", text = "", metadata = { error = "upstream timeout", status = "error" }, expect = true },
    { role = "assistant", text = "Sorry, something went wrong on our side. Please try again.", expect = true },
    { role = "assistant", text = "Your refund is on its way.", metadata = { error = false }, expect = false },
    { role = "user", text = "I get an internal error when I log in", expect = false },
  },
  on_message = function(msg, ctx)
    if is_error(msg.metadata) then
      ctx:finding{ type = "error" }
    elseif msg.role == "assistant" and re.test(msg.text, ERROR_TEXT) then
      ctx:finding{ type = "error", severity = "low" }
    end
  end,
}

rule {
  id = "operations.high_latency",
  version = "1.0.0",
  category = "operations",
  severity = "low",
  description = "Reply slower than 10 s (metadata.latency_ms); medium above 30 s",
  tags = { "operations", "latency" },
  examples = {
    { role = "assistant", text = "Here is your answer.", metadata = { latency_ms = 14500 }, expect = true },
    { role = "assistant", text = "Here is your answer.", metadata = { latency_ms = "45000" }, expect = true },
    { role = "assistant", text = "Here is your answer.", metadata = { latency_ms = 850 }, expect = false },
  },
  on_message = function(msg, ctx)
    local latency = number_of(msg.metadata.latency_ms)
    if latency and latency >= SLOW_MS then
      ctx:finding{ type = "high_latency", severity = latency >= VERY_SLOW_MS and "medium" or "low" }
    end
  end,
}

-- ---- escalation risk -------------------------------------------------------------------------

local WANTS_HUMAN = any_of({
  [[\b(speak|talk|chat)\s+(to|with)\s+(a\s+|an\s+|your\s+)?(human|person|real\s+person|agent|representative|manager|supervisor|someone\s+else)\b]],
  [[\b(human|real\s+person|live\s+agent|manager|supervisor)\s*,?\s*(please|now)\b]],
  [[\bescalate\b|\btransfer\s+me\b]],
})
local THREAT = any_of({
  [[\b(lawyer|attorney|sue|lawsuit|legal\s+action|small\s+claims)\b]],
  [[\b(regulator|ombudsman|ftc|cfpb|bbb|better\s+business\s+bureau|trading\s+standards|data\s+protection\s+authority|ico)\b]],
  [[\b(chargeback|dispute\s+the\s+charge|call\s+my\s+bank|report\s+(you|this))\b]],
  [[\b(formal\s+)?complaint\b]],
  [[\b(twitter|x\.com|facebook|reddit|trustpilot|review)\b.{0,40}\b(everyone|post|tell|share|bad|terrible|1[- ]star|one[- ]star)\b]],
  [[\b(cancel|close)\s+(my|the)\s+(subscription|account|contract)\b]],
})
local ANGER = any_of({
  [[\b(useless|ridiculous|unacceptable|outrageous|terrible|awful|worst|disgusting|incompetent|pathetic|scam|fraud|furious|angry|fed\s+up|sick\s+of)\b]],
  [[\bi\s+(already|just)\s+(told|said|asked|explained)\b]],
  [[\b(third|fourth|fifth|\d+(st|nd|rd|th))\s+time\b]],
  [[!{2,}|\?!|!\?]],
})
local TOKEN = [[<[A-Z]+_[0-9a-f]+>]] -- PII pseudonyms are upper case but not shouting
local SHOUTING = [[\b[A-Z]{4,}\b.*\b[A-Z]{4,}\b.*\b[A-Z]{4,}\b]]

local ESCALATION_WEIGHTS = {
  { key = "wants_human", points = 3, label = "asked for a human" },
  { key = "threat", points = 3, label = "threat (legal, regulator, chargeback, complaint, cancel)" },
  { key = "anger", points = 2, label = "anger or frustration" },
  { key = "shouting", points = 1, label = "shouting" },
  { key = "repeated", points = 1, label = "user repeated a message" },
  { key = "errors", points = 1, label = "error replies" },
  { key = "long", points = 1, label = "long conversation (over 12 user turns)" },
}

rule {
  id = "operations.escalation_risk",
  version = "1.0.0",
  kind = "scorer",
  category = "operations",
  description = "Escalation risk 0-10 per conversation: requests for a human, threats (legal, regulator, chargeback, complaint, cancellation), anger, shouting, repeated messages, error replies, length",
  tags = { "operations", "escalation" },
  examples = {
    { conversation = {
        { role = "user", text = "This is the THIRD TIME I'm asking, this is RIDICULOUS!!" },
        { role = "assistant", text = "I'm sorry, could you give me the order number?" },
        { role = "user", text = "I want to speak to a manager or I'm filing a chargeback." },
      }, expect = true },
    { conversation = {
        { role = "user", text = "Where is my order?" },
        { role = "assistant", text = "It ships tomorrow." },
      }, expect = true },
    { role = "system", text = "You are a helpful assistant.", expect = false },
  },
  on_conversation = function(conv, ctx)
    local signals = {}
    local users = 0
    local seen = {}
    for _, msg in ipairs(conv.messages) do
      if msg.role == "user" then
        users = users + 1
        local text = msg.text
        signals.wants_human = signals.wants_human or re.test(text, WANTS_HUMAN)
        signals.threat = signals.threat or re.test(text, THREAT)
        signals.anger = signals.anger or re.test(text, ANGER)
        signals.shouting = signals.shouting or re.test(re.gsub(text, TOKEN, ""), SHOUTING)
        local key = string.lower(text)
        if #key > 3 and seen[key] then
          signals.repeated = true
        end
        seen[key] = true
      elseif is_error(msg.metadata) then
        signals.errors = true
      end
    end
    if users == 0 then
      return
    end
    signals.long = users > 12
    local score, reasons = 0, {}
    for _, weight in ipairs(ESCALATION_WEIGHTS) do
      if signals[weight.key] then
        score = score + weight.points
        reasons[#reasons + 1] = string.format("+%d %s", weight.points, weight.label)
      end
    end
    score = math.min(score, 10)
    local explanation = #reasons == 0 and "0: no escalation signals" or
        string.format("%d = %s", score, table.concat(reasons, " "))
    ctx:score("escalation_risk", score, explanation)
  end,
}
