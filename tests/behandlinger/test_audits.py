"""Broken references fail the run instead of publishing tables that do not join.

The shared scenario run (conftest `stage`) shows the same audits pass on a consistent log.
"""

from __future__ import annotations

from polly_log import Polly, process_data, uid


def test_audit_bridge_and_processor_references_fail_the_run(polly: Polly, run_alone) -> None:
    """A policy whose process.id is no behandling, and a processor id that is no PROCESSOR, fail the
    run and name both tables.
    """
    known = uid("audit-known-process")
    polly.information_type(uid("audit-it"))
    polly.process(
        known,
        "2022-01-01T08:00:00",
        process_data(
            dataProcessing={"dataProcessor": True, "processors": [uid("audit-missing-processor")]}
        ),
        action="CREATE",
    )
    polly.policy(
        uid("audit-policy"), "2022-01-01T09:00:00", uid("audit-missing-process"), uid("audit-it")
    )
    code, output = run_alone(polly)
    output = output.replace("\n", "")  # the console wraps long model names
    assert code == 1, output
    assert "stage_bridge_policy_behandling" in output, output
    assert "stage_dataprocessors" in output, output


def test_audit_policy_information_type_reference_fails_the_run(polly: Polly, run_alone) -> None:
    """A policy whose information type never appears in the log fails the run at stage_policy."""
    known = uid("audit-known-process")
    polly.process(known, "2022-01-01T08:00:00", process_data(), action="CREATE")
    polly.policy(uid("audit-policy"), "2022-01-01T09:00:00", known, uid("audit-missing-it"))
    code, output = run_alone(polly)
    output = output.replace("\n", "")  # the console wraps long model names
    assert code == 1, output
    assert "stage_policy" in output, output
    assert "stage_dataprocessors" not in output, output
