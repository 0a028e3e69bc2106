"""What the running stack shows of itself, as data: one order's story across the services
after the fact (order_trace), and the live dashboard's snapshots (dashboard)."""
