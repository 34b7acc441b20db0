import json

from django.urls import reverse

from studio.runs.training import run_dir
from tests.factories import make_run


def _metrics(run, rows, stage="stage-0-sft"):
    path = run_dir(run) / stage / "metrics.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))


def _with_lr(run, learning_rate):
    run.config["hyperparameters"]["learning_rate"] = learning_rate
    run.save(update_fields=["config"])
    return run


def _compare(client, *runs):
    return client.get(reverse("runs:compare"), {"run": [str(r.pk) for r in runs]})


def test_it_sets_configs_side_by_side_and_marks_the_differences(team, owner, login):
    first = _with_lr(make_run(team, name="Low lr", status="succeeded"), 1e-4)
    second = _with_lr(make_run(team, name="High lr", status="succeeded"), 3e-4)
    response = _compare(login(owner), first, second)
    assert response.status_code == 200
    rows = {row.key: row for row in response.context["config_rows"]}
    assert rows["hyperparameters.learning_rate"].values == ["0.0001", "0.0003"]
    assert rows["hyperparameters.learning_rate"].differs
    assert not rows["lora.r"].differs
    assert rows["stages[0].kind"].values == ["sft", "sft"]
    assert b'class="differs"' in response.content and b"only differences" in response.content


def test_it_draws_every_runs_loss_on_one_chart(team, owner, login):
    first, second = make_run(team, name="A"), make_run(team, name="B")
    _metrics(first, [{"step": 1, "loss": 2.0}, {"step": 2, "loss": 1.5, "eval_loss": 1.7}])
    _metrics(second, [{"step": 1, "loss": 2.1}, {"step": 2, "loss": 1.9}])
    response = _compare(login(owner), first, second)
    train = response.context["train_loss"]
    assert [s["name"] for s in train] == [f"#{first.pk} A", f"#{second.pk} B"]
    assert train[1]["points"] == [(1, 2.1), (2, 1.9)]
    assert response.context["eval_loss"][0]["points"] == [(2, 1.7)]
    assert response.content.count(b"<polyline") >= 3  # two train lines, one eval line


def test_it_refuses_too_few_or_too_many_runs(team, owner, login):
    runs = [make_run(team, name=f"R{i}") for i in range(6)]
    client = login(owner)
    response = _compare(client, runs[0])
    assert response.status_code == 400 and b"Pick 2 to 5 runs to compare; 1 picked." in response.content
    response = _compare(client, *runs)
    assert response.status_code == 400 and b"6 picked" in response.content
    response = client.get(reverse("runs:compare"), {"run": ["1", "x"]})
    assert response.status_code == 400 and b"whole numbers" in response.content


def test_it_offers_only_the_teams_runs_to_pick(team, other_team, owner, login):
    mine, theirs = make_run(team, name="Mine"), make_run(other_team, name="Theirs")
    response = login(owner).get(reverse("runs:compare"))
    assert response.status_code == 200
    assert list(response.context["choices"]) == [mine]
    assert b"Theirs" not in response.content and theirs.pk


def test_another_teams_run_is_not_found(team, other_team, owner, outsider, login):
    mine, also_mine = make_run(team, name="Mine"), make_run(team, name="Also mine")
    theirs = make_run(other_team, name="Theirs")
    assert _compare(login(owner), mine, theirs).status_code == 404
    assert _compare(login(outsider), mine, also_mine).status_code == 404


def _evaluated(run, table, status="succeeded"):
    from studio.evaluations.models import Evaluation

    return Evaluation.objects.create(
        team=run.team,
        run=run,
        base_model=run.base_model,
        dataset_version=run.dataset_versions.get(),
        template=run.template,
        status=status,
        report={"table": table},
    )


def test_it_sets_the_runs_metrics_side_by_side_and_marks_the_best(team, owner, login):
    first, second = make_run(team, name="A", status="succeeded"), make_run(team, name="B", status="succeeded")
    for run, rouge, ppl in ((first, 0.4, 5), (second, 0.5, 6)):
        _evaluated(
            run, [{"metric": "rouge_l", "base": 0.2, "tuned": rouge}, {"metric": "perplexity", "base": 9, "tuned": ppl}]
        )
    _evaluated(second, [{"metric": "rouge_l", "base": 0.2, "tuned": 0.9}], status="failed")  # not finished: ignored
    response = _compare(login(owner), first, second)
    rows = {row.metric: row for row in response.context["metric_rows"]}
    assert rows["rouge_l"].values == [0.4, 0.5] and rows["rouge_l"].best == 1
    assert rows["perplexity"].values == [5, 6] and rows["perplexity"].best == 0  # lower is better
    assert rows["perplexity"].base == 9
    assert b'class="best"' in response.content


def test_it_says_when_no_run_has_an_evaluation(team, owner, login):
    response = _compare(login(owner), make_run(team, name="A"), make_run(team, name="B"))
    assert b"None of these runs has a finished evaluation yet." in response.content
