"""Which comm messages are a view's input (taken off the main thread) and what is forwarded for them: the event,
then each ack that rode on it, within the shared limit; everything else is left to ipywidgets."""

from glstream._input_route import fast_events, install
from glstream._limits import INPUT_TYPES, PIGGYBACK_ACKS_MAX

MOVE = {"type": "pointer", "phase": "move", "x": 1, "y": 2, "button": 0, "buttons": 1, "seq": 5, "t": 0.5}


def test_an_input_event_is_forwarded_as_it_is():
    for kind in INPUT_TYPES:
        assert fast_events({"type": kind, "seq": 1}) == [{"type": kind, "seq": 1}]


def test_acks_riding_on_an_event_follow_it_each_on_its_own():
    assert fast_events({**MOVE, "acks": [7, 8]}) == [MOVE, {"type": "ack", "seq": 7}, {"type": "ack", "seq": 8}]
    assert fast_events({"type": "ack", "seq": 3, "acks": [1, 2]}) == [
        {"type": "ack", "seq": 3},
        {"type": "ack", "seq": 1},
        {"type": "ack", "seq": 2},
    ]


def test_acks_beyond_the_limit_or_not_a_list_are_dropped():
    many = fast_events({**MOVE, "acks": list(range(10 * PIGGYBACK_ACKS_MAX))})
    assert len(many) == 1 + PIGGYBACK_ACKS_MAX
    assert fast_events({**MOVE, "acks": "7"}) == [MOVE]
    assert fast_events({**MOVE, "acks": None}) == [MOVE]


def test_messages_that_are_not_input_stay_with_ipywidgets():
    for content in [{"type": "click", "x": 1}, {"type": "stats"}, {"type": "direct"}, {"type": "frame"}, [], None, 3]:
        assert fast_events(content) is None


class Comm:
    """A comm as ipykernel's calls it: handle_msg(msg) with the comm_msg; no subshell hook outside a kernel."""

    def __init__(self):
        self.handled = []

    def handle_msg(self, msg):
        self.handled.append(msg)


def custom(content):
    return {"content": {"data": {"method": "custom", "content": content}}}


def test_installed_on_a_comm_input_goes_to_forward_and_the_rest_to_the_comm():
    comm, forwarded = Comm(), []
    assert install(comm, forwarded.append) is False, "outside a kernel there is no subshell"
    comm.handle_msg(custom({**MOVE, "acks": [4]}))
    click = custom({"type": "click", "x": 1, "y": 2})
    state = {"content": {"data": {"method": "update", "state": {"width": 10}}}}
    comm.handle_msg(click)
    comm.handle_msg(state)
    assert forwarded == [MOVE, {"type": "ack", "seq": 4}]
    assert comm.handled == [click, state]
