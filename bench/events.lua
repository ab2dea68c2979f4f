-- wrk script: POST one event per request to /v1/events, each in its own
-- interaction (a refund proposal over the limit every fifth request, so the
-- load includes holds that open review tasks). Set HITLGATE_TOKEN.
-- Optional HITLGATE_DELAY_MS paces each connection (for the latency run at
-- half of the maximum rate). Customers (997 of them) start at a random offset
-- per wrk thread, so several wrk processes do not walk the same customers in
-- step.
local token = os.getenv("HITLGATE_TOKEN")
local delay_ms = tonumber(os.getenv("HITLGATE_DELAY_MS") or "0")
local counter = 0
local thread_id = math.random(1, 1000000000)

function request()
  counter = counter + 1
  local id = "b" .. thread_id .. "-" .. counter
  local body
  if counter % 5 == 0 then
    body = '{"interaction_id":"' .. id .. '","customer_id":"u-' .. ((thread_id + counter) % 997) ..
      '","workflow":"retail-bot","channel":"chat","type":"ai_proposal",' ..
      '"text":"I have refunded 150 USD to your card.","intent":"return_item","confidence":0.93,' ..
      '"action":{"name":"refund","amount":150,"currency":"USD","params":{"order_id":"#W' .. counter .. '"}}}'
  else
    body = '{"interaction_id":"' .. id .. '","customer_id":"u-' .. ((thread_id + counter) % 997) ..
      '","workflow":"retail-bot","channel":"chat","type":"customer_message",' ..
      '"text":"Hi, my order still has not arrived and I am getting worried. Can you check it?"}'
  end
  return wrk.format("POST", "/v1/events",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end

function delay()
  return delay_ms
end
