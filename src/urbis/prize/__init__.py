"""The smart-city prize: editions, applications, evaluators, rounds and awards."""
