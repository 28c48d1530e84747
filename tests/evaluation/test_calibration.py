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


def test_a_bin_spans_strengths_a_finer_cut_would_leave_too_sparse_to_read():
    # 4 right statements at strength 0.65 and 4 at 0.75: too few for a bin each (min 5), read together as one
    corpora = {"news": [(ConfidenceFeatures("supported", s, "statement", 1.0), True) for s in (0.65, 0.75) * 4]
               + [(ConfidenceFeatures("supported", 0.95, "statement", 1.0), True)] * 20}
    calibration = fit_dev(corpora, (0, 0))
    middle = calibration.confidence(ConfidenceFeatures("supported", 0.65, "statement", 1.0))
    assert middle == calibration.confidence(ConfidenceFeatures("supported", 0.75, "statement", 1.0)) > 0.6


def test_the_shipped_artefact_is_fitted_on_the_current_bins():
    for at, _ in Calibration.pretrained().steps.values():
        assert at == CUTS
