"""The calibration fitted on development features is written as an artefact that ``Calibration`` reads back."""
from tabayyun.evaluation.calibration import CUTS, artefact_meta, fit_dev
from tabayyun.models.artefacts import save_artefact
from tabayyun.verify.calibrate import CONFIDENCE_VERSION, Calibration, ConfidenceFeatures


def test_fitted_calibration_round_trips_through_its_artefact(tmp_path):
    strong = ConfidenceFeatures("supported", 0.95, "statement", 1.0)
    weak = ConfidenceFeatures("refuted", 0.7, "number", 0.8)
    corpora = {"news": [(strong, True)] * 20 + [(weak, True)] * 10,
               "web": [(strong, True)] * 9 + [(strong, False)] + [(weak, ok) for ok in [True] * 5 + [False] * 5]}
    calibration = fit_dev(corpora, (6, 10))
    meta = artefact_meta(calibration, corpora, (6, 10))
    assert meta["version"] == CONFIDENCE_VERSION and meta["groups"] == ["figure", "statement"]
    assert meta["decided"] == {"news": [30, 30], "web": [20, 14]} and meta["cuts"] == list(CUTS)
    save_artefact(tmp_path, "confidence", calibration.arrays(), meta)
    loaded = Calibration.pretrained(tmp_path)
    assert loaded.steps == calibration.steps and loaded.undecided == calibration.undecided
    assert 0.5 <= loaded.confidence(weak) < loaded.confidence(strong) <= 0.9  # never above the web corpus' 9 of 10
