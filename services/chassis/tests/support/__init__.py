"""Building blocks the chassis tests share: event factories, processes, a TCP forwarder."""
