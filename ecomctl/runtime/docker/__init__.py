"""The docker runtime: every component in its own container, through the Docker SDK.

    <stack>-backend            network: rabbitmq, every service container, the gateway
    <stack>-<service>-db       network (internal): that service's containers and its database
    ├── <stack>-<service>-db           postgres, volume <stack>-<service>-db-data
    ├── <stack>-<service>-web          the service image, gunicorn
    ├── <stack>-<service>-relay        the service image, manage.py relay_outbox
    └── <stack>-<service>-<consumer>   the service image, manage.py consume <consumer>
    <stack>-rabbitmq           volume <stack>-rabbitmq-data; AMQP and the UI on 127.0.0.1
    <stack>-gateway            nginx, the only published HTTP port (127.0.0.1)

Everything carries the labels in naming.py, so a stack finds exactly its own things.
"""
