"""Schemathesis hooks for scripts/api-contract: a check that no response leaks a crash report or a stack trace.

The dashboard renders errors without internals (SecurityMiddleware: an HTTPError's message, anything else a bare
`internal error`), so any of these in a body means a crash report or a debug description reached the client.
Error messages echo the id that was asked for, so text the request itself sent does not count.
"""

import json
import re

import schemathesis

MARKERS = ("Fatal error", "Stack dump", "Backtrace", "Thread 0", "Current stack trace")
# A Swift source location: `at /path/File.swift:12` or a frame's `/path/File.swift:12:5`.
SWIFT_LOCATION = re.compile(r"(?:at )?/[^\s\"']+\.swift:\d+")


@schemathesis.check
def no_stack_trace(ctx, response, case):
    """Fail when the body holds a crash marker or a Swift source location the request did not send."""
    text = response.content.decode("utf-8", "replace")
    sent = json.dumps([case.path_parameters, case.query, case.headers, case.cookies, case.body], default=repr, ensure_ascii=False)
    found = [marker for marker in MARKERS if marker in text and marker not in sent]
    found += [match for match in SWIFT_LOCATION.findall(text) if match not in sent]
    if found:
        raise AssertionError(f"The response body leaks a stack trace or a source location: {', '.join(found)}")
