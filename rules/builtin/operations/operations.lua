-- Operations: usage metrics (tokens, cost), token and cost outliers, error replies, slow replies,
-- and the risk that a conversation escalates to a human, a complaint or a chargeback.
--
-- Metadata read (the same keys the report's operations section uses):
--   tokens, or usage.total_tokens, or usage.prompt_tokens + usage.completion_tokens
--   cost_usd, latency_ms, error (truthy) or status = "error"

-- A message is a token or cost outlier when it is far above normal: at or over the absolute
-- threshold, or more than OUTLIER_FACTOR times the conversation's median over at least
-- OUTLIER_MIN_MESSAGES messages that carry the figure.
local TOKEN_OUTLIER = 8000
local COST_OUTLIER_USD = 0.50
local OUTLIER_FACTOR = 5
local OUTLIER_MIN_MESSAGES = 4

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

-- true, "true", "yes", 1, "1" (exporters differ).
local function truthy(value)
  if value == true then
    return true
  end
  if type(value) == "number" then
    return value ~= 0
  end
  if type(value) == "string" then
    local v = string.lower(value)
    return v == "true" or v == "yes" or v == "1"
  end
  return false
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

-- ---- token and cost outliers ----------------------------------------------------------------

local function median(values)
  local sorted = {}
  for i, v in ipairs(values) do
    sorted[i] = v
  end
  table.sort(sorted)
  local n = #sorted
  if n % 2 == 1 then
    return sorted[(n + 1) // 2]
  end
  return (sorted[n // 2] + sorted[n // 2 + 1]) / 2
end

-- Findings of `kind` for every message whose figure (from `value_of(metadata)`) is an outlier:
-- medium at or above `absolute`, low when only relative (> OUTLIER_FACTOR x median).
local function outliers(conv, ctx, kind, value_of, absolute)
  local values, at = {}, {}
  for _, msg in ipairs(conv.messages) do
    local v = value_of(msg.metadata)
    if v then
      values[#values + 1] = v
      at[#at + 1] = msg.index
    end
  end
  local typical = #values >= OUTLIER_MIN_MESSAGES and median(values) or nil
  for i, v in ipairs(values) do
    if v >= absolute then
      ctx:finding{ type = kind, severity = "medium", message_index = at[i] }
    elseif typical and typical > 0 and v > OUTLIER_FACTOR * typical then
      ctx:finding{ type = kind, severity = "low", message_index = at[i] }
    end
  end
end

local function cost_of(metadata)
  return number_of(metadata.cost_usd)
end

rule {
  id = "operations.token_outlier",
  version = "1.0.0",
  category = "operations",
  severity = "low",
  description = "One message uses far more tokens than normal: at least 8000 (medium), or more than 5x the conversation's median over 4+ messages with a token count (low)",
  tags = { "operations", "cost" },
  examples = {
    { role = "assistant", text = "Here is the full export.", metadata = { tokens = 12000 }, expect = true },
    { role = "assistant", text = "Here is the full export.", metadata = { usage = { prompt_tokens = 7000, completion_tokens = 1500 } }, expect = true },
    { conversation = {
        { role = "user", text = "Hi", metadata = { tokens = 100 } },
        { role = "assistant", text = "Hello! How can I help?", metadata = { tokens = 120 } },
        { role = "user", text = "Summarise my contract", metadata = { tokens = 110 } },
        { role = "assistant", text = "Here is a very long summary ...", metadata = { tokens = 2400 } },
      }, expect = true },
    { conversation = {
        { role = "user", text = "Hi", metadata = { tokens = 100 } },
        { role = "assistant", text = "Hello! How can I help?", metadata = { tokens = 120 } },
        { role = "user", text = "Summarise my contract", metadata = { tokens = 110 } },
        { role = "assistant", text = "Here is the summary ...", metadata = { tokens = 450 } },
      }, expect = false },
    -- too few messages to know what normal is
    { conversation = {
        { role = "user", text = "Summarise my contract", metadata = { tokens = 100 } },
        { role = "assistant", text = "Here is a long summary ...", metadata = { tokens = 2400 } },
      }, expect = false },
    { role = "assistant", text = "Here you go.", expect = false },
  },
  on_conversation = function(conv, ctx)
    outliers(conv, ctx, "token_outlier", tokens_of, TOKEN_OUTLIER)
  end,
}

rule {
  id = "operations.cost_outlier",
  version = "1.0.0",
  category = "operations",
  severity = "low",
  description = "One message costs far more than normal: at least $0.50 (medium), or more than 5x the conversation's median over 4+ priced messages (low)",
  tags = { "operations", "cost" },
  examples = {
    { role = "assistant", text = "Here is the full export.", metadata = { cost_usd = 0.75 }, expect = true },
    { role = "assistant", text = "Here is the full export.", metadata = { cost_usd = "0.5" }, expect = true },
    { conversation = {
        { role = "assistant", text = "Hello!", metadata = { cost_usd = 0.002 } },
        { role = "assistant", text = "Your order shipped.", metadata = { cost_usd = 0.003 } },
        { role = "assistant", text = "Anything else?", metadata = { cost_usd = 0.002 } },
        { role = "assistant", text = "Here is the long report ...", metadata = { cost_usd = 0.04 } },
      }, expect = true },
    { conversation = {
        { role = "assistant", text = "Hello!", metadata = { cost_usd = 0.002 } },
        { role = "assistant", text = "Your order shipped.", metadata = { cost_usd = 0.003 } },
        { role = "assistant", text = "Anything else?", metadata = { cost_usd = 0.002 } },
        { role = "assistant", text = "Here is the report ...", metadata = { cost_usd = 0.009 } },
      }, expect = false },
    { role = "assistant", text = "Here you go.", metadata = { cost_usd = 0.0062 }, expect = false },
  },
  on_conversation = function(conv, ctx)
    outliers(conv, ctx, "cost_outlier", cost_of, COST_OUTLIER_USD)
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
  -- de
  [[\b(unverschämt|frechheit|unmöglich|lächerlich|nutzlos|katastrophe|katastrophal|inakzeptabel|wütend|stinksauer|betrug|abzocke|reicht\s+mir)\b]],
  -- fr
  [[\b(inadmissible|inacceptable|scandaleux|scandaleuse|honteux|honteuse|furieux|furieuse|ridicule|arnaque|en\s+colère|ras\s+le\s+bol|j['’]en\s+ai\s+marre)\b]],
  -- es
  [[\b(inaceptable|ridículo|ridícula|vergonzoso|vergonzosa|indignante|furioso|furiosa|estafa|harto|harta|pésimo|pésima|una\s+vergüenza)\b]],
  -- nl
  [[\b(belachelijk|onacceptabel|waardeloos|schandalig|woedend|boos|oplichting|oplichters|ik\s+ben\s+het\s+zat)\b]],
})
-- Milder negative sentiment: disappointment and wasted time, EN/DE/FR/ES/NL.
local NEGATIVE = any_of({
  [[\b(not|never)\s+(happy|satisfied|impressed)\b|\bunhappy\b|\bdissatisfied\b]],
  [[\b(disappointed|disappointing|let\s+down|frustrat(ed|ing))\b]],
  [[\bwast(e|ed|ing)\s+(of\s+)?(my\s+|our\s+)?(time|money)\b]],
  [[\b(enttäuscht|enttäuschend|unzufrieden|zeitverschwendung|nicht\s+zufrieden)\b]],
  [[\b(déçu|déçue|déçus|décevant|mécontent|mécontente|pas\s+content|pas\s+satisfait|perte\s+de\s+temps)\b]],
  [[\b(decepcionado|decepcionada|decepcionante|insatisfecho|insatisfecha|no\s+estoy\s+content[oa]|pérdida\s+de\s+tiempo)\b]],
  [[\b(teleurgesteld|teleurstellend|ontevreden|niet\s+tevreden|zonde\s+van\s+(mijn\s+)?tijd|tijdverspilling)\b]],
})
-- The assistant hands the conversation to a person.
local HANDOFF = any_of({
  [[\b(transferr?(ing|ed)?|connect(ing|ed)?|hand(ing|ed)?\s+(you\s+|this\s+|it\s+)?over|pass(ing|ed)?\s+(you\s+|this\s+)?(on|over)|escalat(e|ing|ed))\b.{0,40}\b(a|an|our|the|my)\s+(human|live|real|support|customer\s+service)?\s*(agent|colleague|representative|specialist|supervisor|manager|team\s+member|person|human)\b]],
  [[\b(a|an|our)\s+(human|live)\s+(agent|colleague|representative)\s+(will|is\s+going\s+to)\s+(join|take\s+over|be\s+with\s+you|contact\s+you|get\s+back)\b]],
  [[\b(leite|verbinde|übergebe)\s+(sie|dich)\b.{0,40}\b(mitarbeiter|mitarbeiterin|kollegen|kollegin|menschen)\b]],
  [[\bje\s+vous\s+(transfère|mets\s+en\s+relation|passe)\b.{0,40}\b(conseiller|conseillère|agent|collègue|humain)\b]],
  [[\b(le|te)\s+(transfiero|paso|comunico)\b.{0,40}\b(agente|asesor|asesora|compañero|compañera|humano)\b]],
})
local TOKEN = [[<[A-Z]+_[0-9a-f]+>]] -- PII pseudonyms are upper case but not shouting
local SHOUTING = [[\b[A-Z]{4,}\b.*\b[A-Z]{4,}\b.*\b[A-Z]{4,}\b]]
-- Shouting needs 12 capital letters, and taking the tokens out adds none: text with fewer is
-- not shouting (one search instead of two for nearly every message).
local TWELVE_CAPITALS = [=[(?s)(?:[A-Z].*){11}[A-Z]]=]
-- Any of the four user-text signals: one search rules out all four for a calm message.
local ANY_USER_SIGNAL = "(?:" .. table.concat({ WANTS_HUMAN, THREAT, ANGER, NEGATIVE }, ")|(?:") ..
    ")"

local ESCALATION_WEIGHTS = {
  { key = "wants_human", points = 3, label = "asked for a human" },
  { key = "threat", points = 3, label = "threat (legal, regulator, chargeback, complaint, cancel)" },
  { key = "anger", points = 2, label = "anger or frustration" },
  { key = "negative", points = 1, label = "negative sentiment (disappointed, not happy, waste of time)" },
  { key = "handoff", points = 2, label = "handed off to a human" },
  { key = "slow", points = 1, label = "slow responses (over 10 s)" },
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
  description = "Escalation risk 0-10 per conversation: requests for a human, threats (legal, regulator, chargeback, complaint, cancellation), anger and negative sentiment (EN/DE/FR/ES/NL), handoffs to a human, slow responses, shouting, repeated messages, error replies, length",
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
    -- slow responses
    { conversation = {
        { role = "user", text = "Where is my order?" },
        { role = "assistant", text = "It ships tomorrow.", metadata = { latency_ms = 18000 } },
      }, expect = true },
    -- handoff, by text and by metadata
    { conversation = {
        { role = "user", text = "My router keeps dropping the connection." },
        { role = "assistant", text = "I'm transferring you to a human agent who can check the line." },
      }, expect = true },
    { conversation = {
        { role = "user", text = "My router keeps dropping the connection." },
        { role = "assistant", text = "One moment please.", metadata = { handoff = true } },
      }, expect = true },
    -- negative sentiment in other languages
    { conversation = {
        { role = "user", text = "Das ist eine Frechheit, ich bin wirklich enttäuscht." },
        { role = "assistant", text = "Das tut mir leid." },
      }, expect = true },
    { conversation = {
        { role = "user", text = "Dit is belachelijk, wat een tijdverspilling." },
        { role = "assistant", text = "Excuses daarvoor." },
      }, expect = true },
    { conversation = {
        { role = "user", text = "Honestly I'm not happy, this was a waste of time." },
        { role = "assistant", text = "I'm sorry to hear that." },
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
        if not (signals.wants_human and signals.threat and signals.anger and signals.negative) and
            re.test(text, ANY_USER_SIGNAL) then
          signals.wants_human = signals.wants_human or re.test(text, WANTS_HUMAN)
          signals.threat = signals.threat or re.test(text, THREAT)
          signals.anger = signals.anger or re.test(text, ANGER)
          signals.negative = signals.negative or re.test(text, NEGATIVE)
        end
        signals.shouting = signals.shouting or
            (re.test(text, TWELVE_CAPITALS) and re.test(re.gsub(text, TOKEN, ""), SHOUTING))
        local key = string.lower(text)
        if #key > 3 and seen[key] then
          signals.repeated = true
        end
        seen[key] = true
      else
        if is_error(msg.metadata) then
          signals.errors = true
        end
        if msg.role == "assistant" then
          local latency = number_of(msg.metadata.latency_ms)
          signals.slow = signals.slow or (latency ~= nil and latency >= SLOW_MS)
          signals.handoff = signals.handoff or re.test(msg.text, HANDOFF)
        end
      end
      signals.handoff = signals.handoff or truthy(msg.metadata.handoff) or
          truthy(msg.metadata.escalated)
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
