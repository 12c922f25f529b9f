-- Business outcomes: upsells, churn prevented, churn, and the revenue behind them.
--
-- The first source is message metadata written by the application:
--   metadata.outcome = "upsell" | "churn_prevented" | "churned" (aliases below)
--   metadata.revenue_usd            money won (upsell), kept (churn prevented) or lost (churn)
--   metadata.revenue_at_risk_usd    optional, for churn: what the customer was worth
-- When a conversation carries no outcome metadata, the text is read instead: a cancellation
-- request followed by the customer accepting an offer is churn prevented; followed by the
-- assistant confirming the cancellation it is churn; an assistant confirming an upgrade is an
-- upsell (without revenue).

local function any_of(patterns)
  return "(?i)(?:" .. table.concat(patterns, ")|(?:") .. ")"
end

local OUTCOMES = {
  upsell = "upsell", upgrade = "upsell", upgraded = "upsell", cross_sell = "upsell",
  ["cross-sell"] = "upsell", expansion = "upsell",
  churn_prevented = "churn_prevented", retained = "churn_prevented", retention = "churn_prevented",
  saved = "churn_prevented", save = "churn_prevented",
  churn = "churn", churned = "churn", cancelled = "churn", canceled = "churn",
  cancellation = "churn", lost = "churn",
}

-- The outcome a message's metadata records, or nil.
local function outcome_of(msg)
  local value = msg.metadata.outcome
  if type(value) ~= "string" then
    return nil
  end
  return OUTCOMES[string.lower((re.gsub(value, [[^\s+|\s+$]], "")))]
end

-- A finite number from a metadata value (number or numeric string), or nil.
local function amount(value)
  local number = tonumber(value)
  if number == nil or number ~= number or number == math.huge or number == -math.huge then
    return nil
  end
  return number
end

local CANCEL_INTENT = any_of({
  [[\b(cancel|terminate|end|close|stop|quit)\s+(my|the|our)\s+(subscription|plan|account|membership|contract|service)\b]],
  [[\b(want|going|like|need|planning|trying)\s+to\s+(cancel|unsubscribe|quit|leave|downgrade\s+to\s+free)\b]],
  [[\bunsubscribe\s+me\b|\bcancel\s+(it|everything)\b]],
  [[\b(switch(ing)?|mov(e|ing))\s+to\s+(a\s+|another\s+)?(competitor|different\s+provider|another\s+provider|another\s+service)\b]],
})
local ACCEPTS_OFFER = any_of({
  [[\b(i'?ll|i\s+will|ok,?\s+i'?ll|okay,?\s+i'?ll|fine,?\s+i'?ll|then\s+i'?ll|let'?s)\s+(stay|keep\s+(it|my|the)|take\s+(it|the|that)|accept|give\s+(it|you)\s+another)\b]],
  [[\b(keep|continue|not\s+cancel)\s+(my|the)\s+(subscription|plan|account|membership)\b]],
  [[\b(accept|take)\s+(the|that|your)\s+(offer|discount|deal|pause)\b]],
  [[\b(don'?t|do\s+not)\s+cancel\b]],
  [[\b(that\s+works|sounds\s+good|deal)\b.{0,40}\b(stay|keep|discount|offer|pause)\b]],
})
local CONFIRMS_CANCEL = any_of({
  [[\b(has|have)\s+been\s+(cancel+ed|terminated|closed|deactivated)\b]],
  [[\bi'?ve\s+(cancel+ed|closed|terminated|deactivated)\b]],
  [[\b(cancel+ation)\s+(is\s+|has\s+been\s+)?(confirmed|complete|completed|processed)\b]],
  [[\bsorry\s+to\s+see\s+you\s+go\b]],
})
local CONFIRMS_UPGRADE = any_of({
  [[\b(i'?ve|i\s+have|we'?ve|we\s+have|successfully|has\s+been|have\s+been|you'?re\s+now|you\s+are\s+now)\b.{0,30}\b(upgraded|moved|switched|added)\b.{0,30}\b(pro|premium|plus|business|enterprise|annual|yearly|higher\s+tier|family|unlimited|add-on)\b]],
  [[\b(welcome\s+to|you'?re\s+now\s+on|you\s+are\s+now\s+on)\s+(the\s+)?(pro|premium|plus|business|enterprise|unlimited)\b]],
})

-- The outcome of a conversation read from its text when no message has outcome metadata:
-- a list of { type = ..., index = 0-based message }.
local function text_outcomes(conv)
  local found = {}
  local intent_at = nil
  for _, msg in ipairs(conv.messages) do
    if msg.role == "user" then
      if intent_at == nil and re.test(msg.text, CANCEL_INTENT) then
        intent_at = msg.index
      elseif intent_at ~= nil and re.test(msg.text, ACCEPTS_OFFER) then
        found[#found + 1] = { type = "churn_prevented", index = msg.index }
        intent_at = nil
      end
    elseif msg.role == "assistant" then
      if intent_at ~= nil and re.test(msg.text, CONFIRMS_CANCEL) then
        found[#found + 1] = { type = "churn", index = msg.index }
        intent_at = nil
      elseif intent_at == nil and re.test(msg.text, CONFIRMS_UPGRADE) then
        found[#found + 1] = { type = "upsell", index = msg.index }
      end
    end
  end
  return found
end

-- Every outcome of the conversation: from metadata when any message has it, else from text.
local function outcomes(conv)
  local found = {}
  for _, msg in ipairs(conv.messages) do
    local outcome = outcome_of(msg)
    if outcome then
      found[#found + 1] = { type = outcome, index = msg.index, msg = msg }
    end
  end
  if #found > 0 then
    return found
  end
  return text_outcomes(conv)
end

-- The detectors of this file all read the same outcome list: computed once per conversation
-- (a new conversation gets a new view table; holding the old one keeps its identity unique).
local memo_conv, memo_outcomes = nil, nil
local function outcomes_of(conv)
  if conv ~= memo_conv then
    memo_outcomes = outcomes(conv)
    memo_conv = conv
  end
  return memo_outcomes
end

local function detect(kind)
  return function(conv, ctx)
    for _, outcome in ipairs(outcomes_of(conv)) do
      if outcome.type == kind then
        ctx:finding{ type = kind, message_index = outcome.index }
      end
    end
  end
end

rule {
  id = "business.upsell",
  version = "1.0.0",
  category = "business",
  severity = "info",
  description = "The customer bought more: metadata.outcome = upsell (or upgrade, cross_sell), or the assistant confirms an upgrade",
  tags = { "business", "revenue" },
  examples = {
    { role = "assistant", text = "Done! You're on the annual Pro plan now.",
      metadata = { outcome = "upsell", revenue_usd = 240 }, expect = true },
    { conversation = {
        { role = "user", text = "Can I get more seats?" },
        { role = "assistant", text = "I've upgraded your workspace to the Business plan with 10 seats." },
      }, expect = true },
    { role = "assistant", text = "Your plan renews on the 3rd.", expect = false },
    { role = "assistant", text = "Sorry to see you go.", metadata = { outcome = "churned" }, expect = false },
  },
  on_conversation = detect("upsell"),
}

rule {
  id = "business.churn_prevented",
  version = "1.0.0",
  category = "business",
  severity = "info",
  description = "A customer who asked to cancel stayed: metadata.outcome = churn_prevented (or retained, saved), or a cancellation request followed by the customer accepting an offer",
  tags = { "business", "retention" },
  examples = {
    { conversation = {
        { role = "user", text = "I want to cancel my subscription, it's too expensive." },
        { role = "assistant", text = "I understand. I can offer you 3 months at 50% off if you stay." },
        { role = "user", text = "Ok, I'll stay with the discount." },
      }, expect = true },
    { role = "assistant", text = "Great, the discount is applied.", metadata = { outcome = "churn_prevented", revenue_usd = "119.88" }, expect = true },
    { conversation = {
        { role = "user", text = "I want to cancel my subscription." },
        { role = "assistant", text = "Your subscription has been cancelled. Sorry to see you go." },
      }, expect = false },
  },
  on_conversation = detect("churn_prevented"),
}

rule {
  id = "business.churn",
  version = "1.0.0",
  category = "business",
  severity = "low",
  description = "The customer left: metadata.outcome = churned (or cancelled, churn), or a cancellation request the assistant confirmed",
  tags = { "business", "retention" },
  examples = {
    { conversation = {
        { role = "user", text = "Please cancel my account, I'm moving to another provider." },
        { role = "assistant", text = "Your account has been cancelled. Sorry to see you go." },
      }, expect = true },
    { role = "assistant", text = "Cancellation processed.", metadata = { outcome = "cancelled", revenue_usd = 49 }, expect = true },
    { conversation = {
        { role = "user", text = "How do I cancel an order I placed by mistake?" },
        { role = "assistant", text = "Open Orders and click 'Cancel order' within 2 hours of buying." },
      }, expect = false },
  },
  on_conversation = detect("churn"),
}

-- Which metric each outcome's money goes to, and the metadata keys to read it from, in order.
local REVENUE = {
  upsell = { metric = "revenue_usd", keys = { "revenue_usd" } },
  churn = { metric = "revenue_at_risk_usd", keys = { "revenue_at_risk_usd", "revenue_usd" } },
  churn_prevented = { metric = "revenue_retained_usd",
    keys = { "revenue_retained_usd", "revenue_usd", "revenue_at_risk_usd" } },
}

rule {
  id = "business.revenue",
  version = "1.0.0",
  kind = "metric",
  category = "business",
  description = "Revenue behind outcomes: revenue_usd (upsells), revenue_at_risk_usd (churn), revenue_retained_usd (churn prevented), from message metadata",
  tags = { "business", "revenue" },
  examples = {
    { role = "assistant", text = "Upgraded!", metadata = { outcome = "upsell", revenue_usd = 240 }, expect = true },
    { role = "assistant", text = "Cancelled.", metadata = { outcome = "churned", revenue_at_risk_usd = "588.00" }, expect = true },
    { role = "assistant", text = "Upgraded!", metadata = { outcome = "upsell" }, expect = false },
    { role = "assistant", text = "Here you go.", metadata = { revenue_usd = 10 }, expect = false },
  },
  on_message = function(msg, ctx)
    local outcome = outcome_of(msg)
    local revenue = outcome and REVENUE[outcome]
    if not revenue then
      return
    end
    for _, key in ipairs(revenue.keys) do
      local value = amount(msg.metadata[key])
      if value then
        ctx:metric(revenue.metric, value)
        return
      end
    end
  end,
}
