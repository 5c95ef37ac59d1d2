"""The machine line printed beside every timing: CPU model, cores, load."""

from __future__ import annotations

import os
import platform

from digitlab.machine import cpu_model, describe_machine, load_average


def test_cpu_model_reads_the_model_name_line(tmp_path):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nvendor_id\t: AuthenticAMD\n"
                       "model name\t: AMD EPYC 7B13\nflags\t: fpu\n")
    assert cpu_model(cpuinfo) == "AMD EPYC 7B13"


def test_cpu_model_without_cpuinfo_falls_back_to_platform(tmp_path):
    expected = platform.processor() or platform.machine() or "unknown CPU"
    assert cpu_model(tmp_path / "missing") == expected


def test_describe_machine_names_cores_and_load():
    line = describe_machine()
    assert f"{os.cpu_count()} CPUs" in line
    assert line.startswith(cpu_model()) and ", load " in line
    assert len(load_average().split(", ")) == 3
