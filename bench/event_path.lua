-- wrk script for bench/event_path_bench.sh: POST /v1/events, customer
-- messages spread over 1,000 conversations (workflow "retail-bot"), every
-- fifth event a refund proposal of 150 USD, which the retail policy holds
-- (rule refunds-over-100). Every event carries its own event_id, so no
-- request is answered as a duplicate (and none would be refused as a
-- repeated event_id with a different body).
--   HITLGATE_TOKEN     agent key (required)
--   HITLGATE_RUN       a prefix unique to this run (event and conversation ids;
--                      LuaJIT's math.random is not seeded, so wrk alone would
--                      repeat ids across runs against the same server)
--   HITLGATE_DELAY_MS  optional pause per request per connection (the latency
--                      run at half of the maximum rate)
local token = os.getenv("HITLGATE_TOKEN")
local run = os.getenv("HITLGATE_RUN") or tostring(os.time())
local delay_ms = tonumber(os.getenv("HITLGATE_DELAY_MS") or "0")
local counter = 0
local thread_id = math.random(1, 1000000000)
local prefix = run .. "-" .. thread_id
local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}

function request()
  counter = counter + 1
  -- Round robin over the conversations, shifted by one each round, so the
  -- refunds (every fifth event) visit all of them, not the fifth of them whose
  -- number is a multiple of 5.
  local conversation = (counter + math.floor(counter / 1000)) % 1000
  local head = '{"event_id":"' .. prefix .. "-" .. counter .. '","interaction_id":"c-' .. prefix .. "-" ..
    conversation .. '","customer_id":"u-' .. prefix .. "-" .. conversation ..
    '","workflow":"retail-bot","channel":"chat",'
  local body
  if counter % 5 == 0 then
    body = head .. '"type":"ai_proposal","text":"I have refunded 150 USD to your card.",' ..
      '"intent":"return_item","confidence":0.93,' ..
      '"action":{"name":"refund","amount":150,"currency":"USD","params":{"order_id":"#W' .. counter .. '"}}}'
  else
    body = head .. '"type":"customer_message",' ..
      '"text":"Hi, my order still has not arrived and I am getting worried. Can you check it?"}'
  end
  return wrk.format("POST", "/v1/events", headers, body)
end

function delay()
  return delay_ms
end
