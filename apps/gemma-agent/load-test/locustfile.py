"""Locust version of the Gem agent load test (same scenario as `npm run load-test`).

    pip install locust
    locust -f apps/gemma-agent/load-test/locustfile.py --host https://AGENT_URL \
        --users 3 --spawn-rate 1 --run-time 50s --headless --csv load-test-results/locust

Each user creates its session, then loops with a 1-3 s wait, asking a zoo question on /run four times
for every /health call. Not run by the tests.
"""

import random
import uuid

from locust import HttpUser, between, task

APP_NAME = "production_agent"

ZOO_QUESTIONS = [
    "How long do elephants live?",
    "What do giraffes eat?",
    "Where do penguins live in the wild?",
    "Are red pandas endangered?",
    "Why do flamingos stand on one leg?",
    "How fast can a cheetah run?",
    "Do lions sleep a lot?",
    "What is the name of your oldest gorilla?",
    "When are the sea lions fed today?",
    "How do octopuses change colour?",
]


class ZooVisitor(HttpUser):
    """A visitor chatting with Gem."""

    wait_time = between(1, 3)

    def on_start(self):
        self.user_id = f"locust-user-{uuid.uuid4().hex[:8]}"
        self.session_id = f"locust-{uuid.uuid4()}"
        self.client.post(
            f"/apps/{APP_NAME}/users/{self.user_id}/sessions/{self.session_id}",
            json={"state": {"visitor": self.user_id}},
            name="POST /apps/{app}/users/{user}/sessions/{session}",
        )

    @task(4)
    def ask_gem(self):
        self.client.post(
            "/run",
            json={
                "app_name": APP_NAME,
                "user_id": self.user_id,
                "session_id": self.session_id,
                "new_message": {"role": "user", "parts": [{"text": random.choice(ZOO_QUESTIONS)}]},
            },
            name="POST /run",
        )

    @task(1)
    def health(self):
        self.client.get("/health", name="GET /health")
