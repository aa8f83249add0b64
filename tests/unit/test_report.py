from vetmed_pipeline.defs.report.summary import CheckOutcome, Summary


def _summary(**kwargs: object) -> Summary:
    base: dict[str, object] = {"run_id": "r1", "run_succeeded": True, "tables": [("vetmed_users", 3)]}
    base.update(kwargs)
    return Summary(**base)  # type: ignore[arg-type]


def test_a_failed_warn_check_does_not_fail_the_run() -> None:
    summary = _summary(checks=[CheckOutcome("vetmed/vetmed_users", "emails", False, "WARN")])
    assert summary.ok
    assert "FAIL (WARN)" in summary.render()


def test_a_failed_error_check_or_a_check_that_did_not_run_fails_it() -> None:
    assert not _summary(checks=[CheckOutcome("vetmed/vetmed_users", "roles", False, "ERROR")]).ok
    not_run = _summary(not_run=["vetmed/vetmed_memberships :: rows_reconcile_with_source"])
    assert not not_run.ok
    assert "NOT RUN       vetmed/vetmed_memberships :: rows_reconcile_with_source" in not_run.render()
    assert "0/1 checks passed, 0 ERROR failure(s), 0 warning(s), 1 not run" in not_run.render()


def test_quarantine_lines_show_table_column_rule_and_count() -> None:
    text = _summary(
        quarantine=[("vetmed_users", "week_starts_on", "week_starts_on_out_of_range", 7)]
    ).render()
    assert "vetmed_users.week_starts_on" in text and "week_starts_on_out_of_range" in text and " 7" in text
