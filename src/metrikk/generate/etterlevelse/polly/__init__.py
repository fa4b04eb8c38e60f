"""Synthetic Behandlingskatalogen (polly) audit log: PROCESS, POLICY, INFORMATION_TYPE,
PROCESSOR and CODELIST rows in every historical JSON shape (research §1.5, §2.10-2.14).

One module per audited table: `codelist` (CODELIST), `processor` (PROCESSOR),
`information_type` (INFORMATION_TYPE), `process` (PROCESS), `policy` (POLICY); `common` holds
what they share and `codes` the code values. `PollyGenerator.run` draws them in a fixed order.
"""

from __future__ import annotations

from metrikk.generate.etterlevelse.polly.codelist import CodelistMixin
from metrikk.generate.etterlevelse.polly.common import Process
from metrikk.generate.etterlevelse.polly.information_type import InformationTypeMixin
from metrikk.generate.etterlevelse.polly.policy import PolicyMixin
from metrikk.generate.etterlevelse.polly.process import ProcessMixin
from metrikk.generate.etterlevelse.polly.processor import ProcessorMixin


class PollyGenerator(
    CodelistMixin, ProcessorMixin, InformationTypeMixin, ProcessMixin, PolicyMixin
):
    """The Behandlingskatalogen audit log of one seed, written to the sink up to `until`."""

    def run(self) -> list[Process]:
        self.codelists()
        processors = self.processors()
        ordered = sorted(processors)
        self.processor_created = [c for c, _ in ordered]
        self.processor_ids = [pid for _, pid in ordered]
        its = self.information_types()
        processes = self.processes(processors, its)
        return processes
