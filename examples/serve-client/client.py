#!/usr/bin/env python3
"""A chat backend's side of `instrc serve`, in Python with the standard library only.

    INSTRC_TOKEN=... instrc serve --addr 127.0.0.1:8080 ../support/agent.instr &
    INSTRC_TOKEN=... python3 client.py "I want to cancel my contract"

Each inbound message is posted with the chat backend's own message id: if the request fails
(a network error, a 503 while a replica restarts), it is sent again with the same id, and the
server runs nothing twice. The actions have run when the answer arrives; send the reply only
when replySent is true.
"""
import json
import os
import sys
import time
import urllib.error
import urllib.request
import uuid

BASE = os.environ.get("INSTRC_URL", "http://127.0.0.1:8080")
TOKEN = os.environ.get("INSTRC_TOKEN", "")


def call(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(BASE + path, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if TOKEN:
        req.add_header("Authorization", "Bearer " + TOKEN)
    try:
        with urllib.request.urlopen(req, timeout=90) as resp:
            return resp.status, json.load(resp)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)


def post_message(conversation, message_id, text, contact=None, history=None):
    """Runs one turn; retries with the same message id on errors worth retrying."""
    body = {"messageId": message_id, "text": text}
    if contact:
        body["contactId"] = contact
    if history:
        body["history"] = history
    delay = 0.2
    for _ in range(8):
        try:
            status, answer = call("POST", f"/v1/conversations/{conversation}/messages", body)
        except (urllib.error.URLError, ConnectionError, TimeoutError) as e:
            status, answer = 0, {"error": {"code": "network", "message": str(e)}}
        if status == 200:
            return answer
        code = answer["error"]["code"]
        # timeout, shutting_down and turn_failed changed nothing: send again.
        if status not in (0, 500, 503):
            raise RuntimeError(f"{status} {code}: {answer['error']['message']}")
        time.sleep(delay)
        delay = min(delay * 2, 5)
    raise RuntimeError(f"gave up on message {message_id}")


def main():
    text = " ".join(sys.argv[1:]) or "I want to cancel my contract"
    conversation = "py-" + uuid.uuid4().hex[:8]
    turn = post_message(conversation, "m1", text, contact=conversation)
    print("scenario:", turn["scenario"], "-", turn["why"])
    for a in turn["actions"]:
        print(f"  [{a['status']}] {a['kind']}", a.get("reason", ""))
    if turn["replySent"]:
        print("reply:", turn["reply"])  # hand it to the chat channel here
    # Delivered twice (a retry after a timeout, say): nothing runs again.
    again = post_message(conversation, "m1", text, contact=conversation)
    assert again["duplicate"] and not again["actions"], again
    status, conv = call("GET", f"/v1/conversations/{conversation}")
    print("conversation:", status, json.dumps(conv))


if __name__ == "__main__":
    main()
