"""Events the built-in retail policy decides in a known way."""
import secrets


def conversation() -> str:
    return "c-" + secrets.token_hex(6)


def allowed_event(**extra):
    # track_order is human-out-of-the-loop in retail-bot.
    return {"interaction_id": conversation(), "workflow": "retail-bot", "type": "ai_proposal",
            "text": "Your order ships tomorrow.", "intent": "track_order", "confidence": 0.95,
            **extra}


def held_refund(amount=150, workflow="retail-bot", **extra):
    # refunds-over-100: more than 110 USD waits for a person in the billing queue.
    return {"interaction_id": conversation(), "workflow": workflow, "type": "ai_proposal",
            "text": f"I refunded {amount} USD.", "intent": "return_item", "confidence": 0.9,
            "action": {"name": "refund", "amount": amount, "currency": "USD",
                       "params": {"order_id": "o-" + secrets.token_hex(3)}}, **extra}


def refund_context(workflow="retail-bot"):
    """The @gate event fields of a refund tool."""
    return {"interaction_id": conversation(), "workflow": workflow, "text": "Refunding you now.",
            "intent": "return_item", "confidence": 0.9}
