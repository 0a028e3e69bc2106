"""RabbitMQ as ecomctl sees it: connecting, the stack's queues and their depths, a tap on
every event, raw publishing, and the dead letters. Returns data; the views draw it."""
