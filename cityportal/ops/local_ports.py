"""A free TCP port on the loopback interface, for the services the benchmarks and tests
start on this machine."""
import socket


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
