from tabayyun.verify import compare
from tabayyun.verify.signals import DENIAL_NEAR, facts

EVIDENCE = "قالت قوات سوريا الديمقراطية إنها أسرت 157 مقاتلا معظمهم أجانب عام 2019"


def test_same_number_matches():
    s = compare("أسرت قوات سوريا الديمقراطية 157 مقاتلا", EVIDENCE)
    assert s.numbers_matched == 1 and not s.mismatches and s.overlap > 0.6


def test_changed_number_is_named():
    s = compare("أسرت قوات سوريا الديمقراطية 500 مقاتل", EVIDENCE)
    assert "number mismatch: claim 500, evidence 157" in s.mismatches


def test_number_words_compare_with_digits():
    s = compare("أسرت قسد مئة وسبعة وخمسين مقاتلا", EVIDENCE)
    assert s.numbers_matched == 1 and not s.mismatches


def test_unrelated_number_is_no_mismatch():
    s = compare("أسرت قوات سوريا الديمقراطية 157 مقاتلا", "ارتفعت الأسعار 12 في المئة")
    assert not s.mismatches


def test_figure_of_another_event_is_no_mismatch():
    # unifiedfc R-473 against a report of another attack: the wounded of the same kind, less than half the claim
    claim = ("هاجم أشخاص يشتبه بأنهم متشددون إسلاميون نقطة تفتيش عسكرية في شمال شرق ليبيا يوم الأربعاء "
             "مما أسفر عن مقتل جنديين وإصابة ثلاثة في هجوم أعلن تنظيم الدولة الإسلامية المسؤولية عنه")
    other = ("أعلن تنظيم داعش مسؤوليته عن الهجوم الذي تم تنفيذه بشاحنة في منهاتن بنيويورك الثلاثاء الماضي "
             "والذي أسفر عن مقتل 8 أشخاص وإصابة 15 آخرين")
    s = compare(claim, other)
    assert s.about() and s.overlap < 0.5 and not s.mismatches and not s.states()
    restated = ("هاجم متشددون نقطة تفتيش عسكرية في شمال شرق ليبيا يوم الأربعاء مما أسفر عن مقتل جنديين "
                "وإصابة ثمانية في هجوم أعلن تنظيم الدولة الإسلامية المسؤولية عنه")
    assert "number mismatch: claim 3, evidence 8" in compare(claim, restated).mismatches


def test_changed_year():
    s = compare("أسرت قوات سوريا الديمقراطية 157 مقاتلا عام 2017", EVIDENCE)
    assert "date mismatch: claim 2017, evidence 2019" in s.mismatches


def test_opposite_action():
    s = compare("أفرجت قوات سوريا الديمقراطية عن مقاتلين أجانب", EVIDENCE)
    assert any(m.startswith("opposite action") for m in s.mismatches)


def test_aliases_count_as_the_same_entity():
    s = compare("قسد أسرت 157 مقاتلا", EVIDENCE)
    assert s.entities_shared >= 1 and s.entities_missing == 0


def test_negated_action_is_a_mismatch():
    s = compare("أطلقت قسد سراح مئات المقاتلين", "نفت قسد أن تكون أطلقت سراح مقاتلين")
    assert "negation mismatch: the evidence negates 'release'" in s.mismatches


def test_negation_of_another_verb_is_no_mismatch():
    evidence = "لم يعلق المتحدث على الأنباء، وقال إن القوات في الشرق أطلقت سراح مئات المقاتلين"
    s = compare("أطلقت قسد سراح مئات المقاتلين", evidence)
    assert not any(m.startswith("negation") for m in s.mismatches), s.mismatches


def test_rise_against_fall_is_an_opposite_action():
    s = compare("سعر القمح يرتفع لأعلى مستوى في 5 أشهر", "سعر القمح يهبط لأدنى مستوى في 5 أشهر")
    assert "opposite action: claim 'increase', evidence 'decrease'" in s.mismatches


def test_a_restatement_is_about_the_claim_and_states_it():
    s = compare("أسرت قوات سوريا الديمقراطية 157 مقاتلا", EVIDENCE)
    assert s.about() and s.states() and not s.contradicts()


def test_a_shared_topic_is_not_about_the_same_thing():
    s = compare("أسرت قوات سوريا الديمقراطية 157 مقاتلا", "وصلت المساعدات الإنسانية إلى سوريا")
    assert not s.about() and not s.contradicts()


def test_link_digits_give_no_number_mismatch():
    s = compare("أسرت قوات سوريا الديمقراطية 157 مقاتلا https://t.co/a5000", EVIDENCE + " https://t.co/Zx77")
    assert not s.mismatches and s.numbers_matched == 1


def test_a_fraction_is_compared_only_with_a_fraction():
    evidence = "خرج 60 ألف شخص من الباغوز نصفهم من أنصار التنظيم"
    assert not compare("نصفهم من أنصار التنظيم الذين خرجوا من الباغوز", evidence).mismatches
    s = compare("ثلثهم من أنصار التنظيم الذين خرجوا من الباغوز", evidence)
    assert s.mismatches == ["number mismatch: claim 0.333333, evidence 0.5"]  # never against the count 60000


def test_a_report_called_false_contradicts_the_claim():
    s = compare("وزارة الصحة تعلن تسجيل إصابات بالكوليرا في العاصمة",
                "ما يتم تداوله عن تسجيل إصابات بالكوليرا في العاصمة عار عن الصحة")
    assert s.contradicts() and any(m.startswith("denied") for m in s.mismatches)


def test_a_narrated_denial_of_something_else_is_no_contradiction():
    s = compare("وجه الملك بتشكيل لجنة وزارية لإعادة هيكلة الاستخبارات",
                "ونفى الوزير أن تكون بلاده قد تلقت أي تسجيل صوتي بشأن القضية خلال زيارة الملك")
    assert not s.contradicts()


def test_a_word_turned_into_its_opposite_in_the_same_statement():
    s = compare("تقع المدينة في شمال البلاد قرب الحدود مع تركيا", "تقع المدينة في جنوب البلاد قرب الحدود مع تركيا")
    assert s.contradicts() and "opposite wording: claim «شمال», evidence «جنوب»" in s.mismatches


def test_a_negated_verb_meets_its_past_form():
    s = compare("لم يصل آلاف الحجاج إلى مكة هذا العام", "وصل آلاف الحجاج إلى مكة هذا العام")
    assert s.contradicts() and any(m.startswith("negation mismatch") for m in s.mismatches)


def test_not_except_is_no_negation():
    s = compare("لم يسجل اللاعب سوى هدفين هذا الموسم", "سجل اللاعب هدفين هذا الموسم")
    assert not any(m.startswith("negation") for m in s.mismatches)


def test_opposite_action_needs_a_shared_actor_not_a_place():
    s = compare("قتلت القوات عشرات المدنيين في سوريا", "نجا عشرات المدنيين من القصف في سوريا بعد إجلائهم")
    assert s.opposite and not s.opposite_about_shared_actor


def test_evidence_silent_on_the_claims_predicate_does_not_state_it():
    s = compare("قسد أفرجت عن مئات من عناصر داعش", "أعلنت قسد مقتل مئات من عناصر داعش في معركة القرية")
    assert s.about() and s.predicates_missing == 1 and not s.states(cosine=0.99)


def test_a_narrated_denial_of_the_claims_own_words_contradicts_it():
    claim = "الأردن يوقف استخدام لقاح استرازينيكا ويكتفي بالجرعة الثانية"
    s = compare(claim, "مسؤول ملف كورونا ينفي إيقاف استخدام لقاح استرازينيكا")
    assert s.contradicts() and s.denial_covers >= 0.5
    # what follows the denial's clause is not what it denies
    other = compare(claim, "نفى المسؤول أي تقصير، وقال إن استخدام لقاح استرازينيكا مستمر في الأردن")
    assert not any(m.startswith("denied") for m in other.stated_mismatches())


def test_weigh_returns_new_evidence_with_its_stance_and_stated_mismatch():
    from tabayyun.records import Document, Evidence, Sentence
    from tabayyun.verify import weigh

    text = "قالت وزارة الصحة إن عدد الإصابات بلغ 120 إصابة"
    found = Evidence(sentence=Sentence(id=1, doc_id="d", position=0, start=0, end=len(text), text=text),
                     document=Document(id="d", text=text, source="s"), score=1.0)
    probs = {"agree": 0.1, "disagree": 0.7, "discuss": 0.1, "unrelated": 0.1}
    weighed = weigh("قالت وزارة الصحة إن عدد الإصابات بلغ 300 إصابة", found, probs)
    assert weighed.stance == "disagree" and weighed.stance_probs == probs
    assert any("300" in m and "120" in m for m in weighed.mismatches)
    assert found.stance == "unrelated" and found.mismatches == []  # the retrieved record is left as it was


def test_facts_read_back_from_json_equal_the_extracted_ones():
    """What a store keeps (``facts_fields`` as JSON) reads back (``facts_from_fields``) equal, field by field:
    numbers with their kind and context, years, entities, predicates and their polarity, negations, a denial,
    antonyms."""
    import json

    from tabayyun.verify.signals import _extract, facts_fields, facts_from_fields

    texts = [EVIDENCE, "نفت وزارة الصحة ما يشاع عن إيقاف لقاح كورونا وقالت إنه عار عن الصحة",
             "لم تفرج قسد عن نحو 2.5 مليون شخص ولم يسجل سوى 3 حالات بنسبة 40% شمال البلاد",
             "ارتفعت أسعار النفط إلى أكثر من 70 دولارا في 18 فبراير 2018", "بدون أرقام ولا أسماء"]
    for text in texts:
        extracted = _extract(text)
        again = facts_from_fields(json.loads(json.dumps(facts_fields(extracted), ensure_ascii=False)))
        assert again == extracted and facts_fields(again) == facts_fields(extracted)
        assert [type(n.value) for n in again.numbers] == [type(n.value) for n in extracted.numbers]
    rich = _extract(texts[2])
    assert rich.numbers and rich.negated and rich.antonyms and _extract(texts[1]).denial


def test_the_facts_version_names_the_code_that_extracts_them():
    from tabayyun.verify.signals import facts_version

    assert len(facts_version()) == 16 and int(facts_version(), 16) >= 0 and facts_version() == facts_version()


TOLL = "قال المرصد إن {} قتلوا في قصف على بلدة في ريف إدلب يوم الثلاثاء"


def test_two_lower_bounds_do_not_contradict():
    s = compare(TOLL.format("14 مدنيا على الأقل"), TOLL.format("22 مدنيا على الأقل"))
    assert s.about() and not s.mismatches and s.numbers_matched == 0


def test_a_figure_within_a_bound_or_an_approximation_is_no_mismatch():
    assert not compare(TOLL.format("أكثر من 100 مدني"), TOLL.format("150 مدنيا")).mismatches
    assert not compare(TOLL.format("نحو 100 مدني"), TOLL.format("105 مدنيين")).mismatches
    assert not compare(TOLL.format("150 مدنيا"), TOLL.format("ما لا يقل عن 100 مدني")).mismatches


def test_a_figure_outside_a_bound_is_named_with_the_bound():
    s = compare(TOLL.format("100 مدني"), TOLL.format("أكثر من 150 مدنيا"))
    assert "number mismatch: claim 100, evidence at least 150" in s.mismatches
    s = compare(TOLL.format("نحو 137 مدنيا"), TOLL.format("نحو 100 مدني"))
    assert "number mismatch: claim about 137, evidence about 100" in s.mismatches
    s = compare(TOLL.format("أقل من 10 مدنيين"), TOLL.format("14 مدنيا"))
    assert "number mismatch: claim at most 10, evidence 14" in s.mismatches


def test_opposite_action_of_another_party_is_no_mismatch():
    claim = "رفض نائب في البرلمان الألماني مساعي الرئيس لعقد مؤتمر جديد للسلام"
    s = compare(claim, "قال الرئيس إن روسيا وتركيا وافقت على عقد مؤتمر جديد للسلام")
    assert not any(m.startswith("opposite action") for m in s.mismatches)
    s = compare(claim, "وافق نائب في البرلمان الألماني على مساعي الرئيس لعقد مؤتمر جديد للسلام")
    assert "opposite action: claim 'reject', evidence 'accept'" in s.mismatches


def test_negated_opposites_do_not_contradict():
    # "no need to increase" and "will not reduce" can both hold
    s = compare("قال القائد إن بلاده لا تحتاج إلى زيادة عدد قواتها في المنطقة",
                "قال القائد إن بلاده لن تخفض عدد قواتها في المنطقة")
    assert not any(m.startswith("opposite action") for m in s.mismatches), s.mismatches


def test_a_claim_stating_both_sides_has_no_opposite_action():
    s = compare("فتحت السلطات معبرا حدوديا مع الإقليم كانت قد أغلقته الشهر الماضي",
                "أغلقت السلطات المعبر الحدودي مع الإقليم الشهر الماضي")
    assert not any(m.startswith("opposite action") for m in s.mismatches), s.mismatches


def test_a_word_naming_falsehood_does_not_deny_the_next_clause():
    claim = "تفجير سيارة ملغومة أسفر عن مقتل تسعة أشخاص على الأقل في قرية بريف القنيطرة"
    evidence = "وجاء في البيان أن لا نية للاعتداء على سكان القرية (بيان كاذب، حيث أن السيارة الملغومة أسفرت عن مقتل 16)"
    assert not any(m.startswith("denied") for m in compare(claim, evidence).mismatches)
    # a report called false, then what is true: that is about what follows
    s = compare("تحدث الرئيس لقناة سكاي نيوز عن زيارته", "هذا الخبر عار من الصحة. لم يتحدث الرئيس لقناة سكاي نيوز")
    assert s.denial_covers >= 0.5 and s.contradicts()


def test_a_narrated_denial_of_something_else_does_not_contradict_a_claim_it_is_about():
    # about the same strike (a shared place, a third of the claim), but the coalition denies its own part, not the toll
    claim = "استهدفت ضربة جوية مدينة دير الزور في شرق البلاد وأودت بحياة 14 شخصا"
    evidence = "نفى التحالف الدولي بقيادة أميركا مسؤوليته عن قصف مدينة دير الزور في شرق سورية"
    s = compare(claim, evidence)
    assert s.about() and s.denial_covers < 0.5
    assert not any(m.startswith("denied") for m in s.stated_mismatches())


def test_a_narrated_denial_of_another_act_of_the_claims_people_is_set_aside():
    # the denied clause names the claim's people but none of its words for what happened: another act of theirs
    claim = "كلف الرئيس سامر النجار رئيس الوزراء وليد الحداد بتشكيل حكومة جديدة"
    s = compare(claim, "نفت الحكومة أنها اعتقلت رئيس الوزراء وليد الحداد، وقالت إن ذلك كلام غير صحيح")
    assert not s.contradicts() and any(line.startswith("denied") for line in s.aside) and not s.states()
    narrated = compare("التقى الوزير مازن الخطيب نظيره في العاصمة لبحث التعاون",
                       "نفى الوزير مازن الخطيب مشروعا لبيع الأسلحة إلى جيرانه")
    assert not narrated.contradicts() and any(line.startswith("denied") for line in narrated.aside)
    # the same people, and the claim's act denied: a contradiction
    denied = compare(claim, "نفت الرئاسة أن يكون الرئيس سامر النجار قد كلف وليد الحداد بتشكيل حكومة جديدة")
    assert denied.contradicts() and not denied.aside
    # the claim's key predicate denied in another form ("تفرج" / "الإفراج"): the same act
    freed = compare("السلطات تفرج عن الناشط سامي الحلو بعد سنتين من الاعتقال",
                    "نفى مصدر أمني الإفراج عن الناشط سامي الحلو")
    assert freed.contradicts()
    # a rumour word first ("الشائعات" narrates), then a report called false about the claim's act: a contradiction
    crash = compare("أصيب اللاعب كريم الزين في حادث سير على الطريق السريع",
                    "ضمن حملة الشائعات المغرضة، ما نشر عن إصابة اللاعب كريم الزين في حادث سير عار عن الصحة")
    assert crash.contradicts() and not crash.aside


def test_a_narrated_denial_of_the_claim_in_a_longer_clause_still_contradicts_it():
    s = compare("استكملت القوات الروسية انسحابها من منطقة عفرين بريف حلب الشمالي",
                "مصادر تنفي لموقع محلي انسحاب القوات الروسية من عفرين يوم الأحد الماضي")
    assert s.about() and 0.3 <= s.denial_covers < 0.5, s.denial_covers
    assert any(m.startswith("denied") for m in s.stated_mismatches())


def test_a_floor_an_order_of_magnitude_below_is_a_mismatch():
    s = compare(TOLL.format("أكثر من 6 آلاف مدني"), TOLL.format("أكثر من 60 ألف مدني"))
    assert "number mismatch: claim at least 6000, evidence at least 60000" in s.mismatches


STRIKE = "قصفت طائرات التحالف مواقع لتنظيم الدولة الإسلامية قرب {} في سوريا يوم الخميس"


def test_a_place_inside_the_claims_place_is_no_rival_actor():
    s = compare(STRIKE.format("البوكمال"), STRIKE.format("دير الزور"))
    assert not any(m.startswith("actor mismatch") for m in s.mismatches)
    s = compare("سيطرت القوات على مواقع في حلب", "سيطرت القوات على مواقع في سوريا")
    assert not any(m.startswith("actor mismatch") for m in s.mismatches)


def test_another_town_is_still_a_rival_actor():
    s = compare(STRIKE.format("حمص"), STRIKE.format("حماة"))
    assert "actor mismatch: claim Homs, evidence Hama" in s.mismatches and not s.states()


def test_a_dateline_is_not_what_the_report_is_about():
    claim = "قتل سبعة مقاتلين في ضربة جوية على موقع لهم في محافظة حمص يوم الاثنين"
    evidence = "بيروت (رويترز) - قتل سبعة مقاتلين في ضربة جوية على موقع لهم في محافظة حمص يوم الاثنين"
    s = compare(claim, evidence)
    assert not s.mismatches and not s.place_unstated and s.states()


def test_two_names_of_one_organisation_are_no_rival_actors():
    s = compare("أعلنت هيئة تحرير الشام سيطرتها على البلدة بعد معارك عنيفة",
                "أعلنت جبهة فتح الشام سيطرتها على البلدة بعد معارك عنيفة")
    assert not s.mismatches and s.entities_shared == 1


def test_evidence_in_another_town_does_not_state_the_claim():
    claim = "سيطرت فصائل المعارضة بشكل كامل على بلدة قباسين شرق حلب بعد معارك مع التنظيم"
    evidence = "سيطرت فصائل المعارضة بشكل كامل على مدينة الباب شرق حلب بعد معارك مع التنظيم"
    s = compare(claim, evidence)
    assert s.about() and s.place_unstated and not s.states()


def test_evidence_naming_only_the_country_does_not_state_a_claim_about_a_city():
    s = compare("قتل خمسة مدنيين في قصف على حي سكني في حلب", "قتل خمسة مدنيين في قصف على حي سكني في سوريا")
    assert s.place_unstated and not s.states()


def test_evidence_in_a_town_of_the_claims_province_may_state_it():
    s = compare("قتل خمسة مدنيين في قصف على حي سكني في ريف حلب", "قتل خمسة مدنيين في قصف على حي سكني في منبج")
    assert not s.place_unstated and not s.mismatches and s.states()


def test_another_country_in_the_evidence_leaves_the_claims_town_alone():
    s = compare("أصيب أربعة صحفيين في انفجار لغم في دير الزور",
                "قالت روسيا إن أربعة صحفيين أصيبوا في انفجار لغم في دير الزور")
    assert not s.place_unstated


def test_figures_of_a_town_and_its_province_are_still_compared():
    claim = "قتل 12 مدنيا في غارة جوية على سوق شعبي في البوكمال يوم الخميس الماضي"
    evidence = "قتل 30 مدنيا في غارة جوية على سوق شعبي في دير الزور يوم الخميس الماضي"
    assert "number mismatch: claim 12, evidence 30" in compare(claim, evidence).mismatches


def test_a_national_branch_is_named_as_itself():
    s = compare("دخلت قافلة مشتركة بين الأمم المتحدة والهلال الأحمر العربي السوري بلدة محاصرة",
                "دخلت قافلة مشتركة بين الأمم المتحدة والهلال الأحمر السوري بلدة محاصرة")
    assert not s.mismatches


def test_the_figures_of_a_model_name_are_no_count():
    # "Tu-22M3" names a bomber: its 22 and 3 are no number of bombers
    claim = "قصفت قاذفات روسية من طراز تو-22 إم 3 بعيدة المدى مواقع للتنظيم قرب البوكمال يوم الخميس"
    evidence = "قصفت ست قاذفات روسية بعيدة المدى مواقع للتنظيم قرب البوكمال يوم الخميس"
    s = compare(claim, evidence)
    assert s.overlap >= 0.5 and not s.mismatches and s.specifics == 0
    s = compare("قصفت ثلاث قاذفات روسية بعيدة المدى مواقع للتنظيم قرب البوكمال يوم الخميس", evidence)
    assert "number mismatch: claim 3, evidence 6" in s.mismatches


def test_a_place_inside_the_claims_country_says_where_in_it():
    # the evidence names the town, not the country it lies in: no rival for the country
    claim = "أصيب أربعة صحفيين روس في انفجار لغم قرب مدينة دير الزور في سوريا"
    evidence = "عاد أربعة صحفيين روس إلى روسيا بعد أن أصيبوا في انفجار لغم قرب مدينة دير الزور"
    s = compare(claim, evidence)
    assert not any(m.startswith("actor mismatch") for m in s.mismatches)
    s = compare(claim, "أصيب أربعة صحفيين روس في انفجار لغم قرب مدينة الموصل في العراق")
    assert any(m.startswith("actor mismatch") for m in s.mismatches)


def test_a_shared_attribution_is_no_shared_report():
    # both quote the same agency; what the evidence calls false is another report
    claim = "نقلت وكالة الأنباء الرسمية عن مراسلها قوله إن 12 شخصا قتلوا في انفجار سيارة مفخخة في حمص"
    evidence = "ونقلت وكالة الأنباء الرسمية عن مسؤول قوله إن ما نشره الموقع عن الشركة عار عن الصحة"
    s = compare(claim, evidence)
    assert s.shared_terms >= 3 and s.report_shared < 3 and not s.stated_mismatches()
    denial = "ونقلت وكالة الأنباء عن مسؤول قوله إن مقتل 12 شخصا في انفجار سيارة في حمص عار عن الصحة"
    assert compare(claim, denial).stated_mismatches()


def test_evidence_that_hedges_a_report_does_not_state_it():
    claim = "قتل قائد عسكري في هيئة تحرير الشام بانفجار عبوة ناسفة في ريف إدلب الجنوبي"
    stated = "قتل قائد عسكري في هيئة تحرير الشام بانفجار عبوة ناسفة في ريف إدلب الجنوبي مساء أمس"
    assert compare(claim, stated).states()
    for hedged in ("أنباء عن مقتل قائد عسكري في هيئة تحرير الشام بانفجار عبوة ناسفة في ريف إدلب الجنوبي",
                   "يزعم ناشطون أن قائدا عسكريا في هيئة تحرير الشام قتل بانفجار عبوة ناسفة في ريف إدلب الجنوبي",
                   "قتل قائد عسكري في هيئة تحرير الشام بانفجار عبوة ناسفة في ريف إدلب الجنوبي، ولم يتسن التحقق من ذلك"):
        s = compare(claim, hedged)
        assert s.about() and not s.states() and s.hedged


def test_a_claim_that_hedges_is_stated_by_the_same_hedge():
    claim = "أنباء عن مقتل قائد عسكري في هيئة تحرير الشام بانفجار عبوة ناسفة في ريف إدلب"
    s = compare(claim, "وأنباء عن مقتل قائد عسكري في هيئة تحرير الشام بانفجار عبوة ناسفة في ريف إدلب")
    assert not s.hedged and s.states()


def test_a_qualifier_of_the_claim_must_be_stated():
    claim = "انسحب مقاتلو التنظيم من مدينة الرقة بشكل كامل بعد معارك استمرت أشهرا"
    s = compare(claim, "انسحب مقاتلو التنظيم من أحياء في مدينة الرقة بعد معارك استمرت أشهرا")
    assert s.about() and not s.states() and s.qualifiers_missing == 1
    assert compare(claim, "انسحب مقاتلو التنظيم من مدينة الرقة بالكامل بعد معارك استمرت أشهرا").states()
    assert compare("انسحب مقاتلو التنظيم من أحياء في مدينة الرقة بعد معارك استمرت أشهرا",
                   "انسحب مقاتلو التنظيم من مدينة الرقة بشكل كامل بعد معارك استمرت أشهرا").qualifiers_missing == 0


def test_an_adjective_of_a_noun_is_no_qualifier_of_the_statement():
    s = compare("قال المستشار إن المحاصرين يواجهون كارثة كاملة بسبب منع المساعدات",
                "قال المستشار إن المحاصرين يواجهون كارثة بسبب منع المساعدات")
    assert s.qualifiers_missing == 0


def test_another_act_of_the_same_people_does_not_state_the_claim():
    # the evidence shares who, when and where, none of what the claim says happened
    claim = "استقبل الملك الأردني عبد الله الثاني وزير الخارجية الفرنسي صباح اليوم الأحد"
    s = compare(claim, "قال الملك الأردني عبد الله الثاني صباح اليوم الأحد إن وزير الخارجية الفرنسي صديق قديم")
    assert s.about() and s.event_unstated and not s.states()
    stated = compare(claim, "استقبل الملك الأردني عبد الله الثاني اليوم الأحد وزير الخارجية الفرنسي")
    assert not stated.event_unstated and stated.states()


def test_another_statement_of_the_same_speaker_does_not_state_the_claim():
    # a claim that reports a statement: the words after the verb of saying must be stated, not only the speaker
    claim = "صرح وزير الخارجية الفرنسي بأن بلاده ستغلق سفارتها في دمشق الأسبوع المقبل"
    s = compare(claim, "صرح وزير الخارجية الفرنسي الأسبوع المقبل في دمشق بأن بلاده ترحب بالمحادثات")
    assert s.about() and s.event_unstated and not s.states()
    assert compare(claim, "وصرح وزير الخارجية الفرنسي بأن بلاده ستغلق سفارتها في دمشق الأسبوع المقبل").states()
    # the speaker's own words (not a title, not a known name) stand before what was said: they state nothing of it
    claim = "أعلن المتحدث باسم نقابة المعلمين عن إضراب شامل في المدارس الحكومية"
    s = compare(claim, "أعلن المتحدث باسم نقابة المعلمين أن الاجتماع مع الوزارة كان مثمرا")
    assert s.event_unstated and not s.states()
    assert not compare(claim, "أعلنت نقابة المعلمين عن إضراب شامل في المدارس الحكومية").event_unstated


def test_a_narrated_denial_does_not_state_what_it_denies():
    claim = "أعلن وزير الخارجية الكويتي إلغاء تجميد عضوية سوريا في جامعة الدول العربية"
    # the denied report stands far after the cue: no denial of the claim is read, yet the text does not state it
    s = compare(claim, "نفى المندوب الدائم لدى المنظمة السفير خالد الأحمد في القاهرة مساء اليوم الثلاثاء ما نسبته "
                       "وسائل إعلام لوزير الخارجية الكويتي بشأن إلغاء تجميد عضوية سوريا في جامعة الدول العربية")
    assert s.denial_unreported and not s.states()
    # a claim that reports the denial is stated by it
    denied = compare("نفى السفير الكويتي إلغاء تجميد عضوية سوريا في جامعة الدول العربية",
                     "نفى السفير الكويتي اليوم إلغاء تجميد عضوية سوريا في جامعة الدول العربية")
    assert not denied.denial_unreported and denied.states()


def test_two_words_after_titles_that_no_gazetteer_knows_are_no_rival_actors():
    # "مباحثات" / "محادثات" follow a title as a name would: a synonym, not another actor
    claim = "من المتوقع أن يجري رئيس الوزراء مباحثات مع ترامب غدا الاثنين في واشنطن"
    s = compare(claim, "ومن المتوقع أن يجري رئيس الوزراء محادثات مع ترامب غدا الاثنين في واشنطن")
    assert not any(m.startswith("actor mismatch") for m in s.mismatches)
    # a titled name that absorbed a day's name is the same person
    s = compare("قال وزير الدفاع الروسي سيرجي شويجو إن 48 ألف جندي شاركوا في الحملة العسكرية في سوريا",
                "قال وزير الدفاع الروسي سيرجي شويجو الجمعة إن 48 ألف جندي شاركوا في الحملة العسكرية في سوريا")
    assert not any(m.startswith("actor mismatch") for m in s.mismatches)
    # a known actor swapped for another is still one
    s = compare("قال الرئيس الأمريكي دونالد ترامب إن بلاده ستنسحب من الاتفاق النووي مع إيران",
                "قال الرئيس الفرنسي إيمانويل ماكرون إن بلاده ستنسحب من الاتفاق النووي مع إيران")
    assert any(m.startswith("actor mismatch") for m in s.mismatches)


def test_a_figure_of_another_thing_on_the_topic_is_no_contradiction():
    # no entity in common, and the evidence is a longer report on the topic that only touches the claim's words
    s = compare("بلغت نسبة البطالة 12% من القوى العاملة",
                "وبلغت نسبة البطالة 9% من القوى العاملة في الريف بعد تحسن قطاع البناء والسياحة في المدن الساحلية "
                "والموانئ الجنوبية خلال الموسم الماضي")
    assert s.about() and not s.stated_mismatches()


def test_a_year_of_another_statement_on_the_topic_is_no_contradiction():
    s = compare("سترتفع نسبة البطالة إلى 12% من القوى العاملة بحلول عام 2030.",
                "وتتوقع الحكومة أن تنخفض نسبة البطالة بين الشباب في القوى العاملة إلى 9% مع نهاية عام 2025 بعد تحسن "
                "قطاع البناء والسياحة في المدن الساحلية.")
    assert not s.stated_mismatches()


def test_a_restatement_without_entities_still_contradicts_a_figure_and_a_year():
    said = "ارتفع عدد العاطلين عن العمل إلى 300 ألف شخص في عام 2020"
    assert compare(said, "ارتفع عدد العاطلين عن العمل إلى 250 ألف شخص في عام 2020").stated_mismatches() == [
        "number mismatch: claim 300000, evidence 250000"]
    assert compare(said, "ارتفع عدد العاطلين عن العمل إلى 300 ألف شخص في عام 2018").stated_mismatches() == [
        "date mismatch: claim 2020, evidence 2018"]


def test_a_shared_entity_keeps_a_year_of_a_longer_report_a_contradiction():
    s = compare("أغلقت الحكومة الأردنية المعبر الحدودي مع سوريا عام 2015",
                "وقالت الحكومة الأردنية إن المعبر الحدودي مع سوريا أغلق عام 2013 ويعيد فتح أبوابه الشهر المقبل "
                "للشاحنات والمسافرين من البلدين")
    assert s.stated_mismatches() == ["date mismatch: claim 2015, evidence 2013"]


def test_a_denial_that_restates_the_claim_still_contradicts_it():
    s = compare("تعاقد الفريق مع لاعبين جديدين", "ما تردد عن تعاقد الفريق مع لاعبين جديدين غير صحيح")
    assert s.stated_mismatches() == ["denied: the evidence says «غير صحيح»"]


def test_a_denial_of_another_matter_on_the_topic_is_no_contradiction():
    # no entity in common; the denial's clause speaks of penalties, the shared words stand in another clause
    s = compare("ألغى الحكم هدفين للفريق في المباراة النهائية بسبب التسلل",
                "شهدت المباراة النهائية أهدافا كثيرة للفريق وجمهورا غفيرا في الملعب، وقال المدرب إن قرارات الحكم "
                "بشأن ركلات الجزاء كانت غير صحيحة")
    assert s.about() and s.denial_near < DENIAL_NEAR and not s.stated_mismatches()


def test_a_denial_of_the_claims_report_in_its_clause_still_contradicts_it():
    s = compare("أغلقت السلطات جميع المدارس في العاصمة بسبب الأمطار الغزيرة",
                "ما يتداول عن إغلاق المدارس في العاصمة بسبب الأمطار الغزيرة عار عن الصحة، والدوام مستمر كالمعتاد")
    assert s.stated_mismatches() == ["denied: the evidence says «عار عن الصحة»"]


STOCKS = "ارتفع مؤشر الأسهم في البورصة إلى أعلى مستوياته منذ عامين مع صعود أرباح البنوك الكبرى"


def test_an_opposite_action_of_another_event_on_the_topic_is_no_contradiction():
    # one topic word next to both predicates ("الأسهم"): another session's fall, not the claim's rise
    s = compare(STOCKS, "وانخفضت الأسهم لثالث جلسة على التوالي، بينما سجلت أرباح البنوك الكبرى في البورصة صعودا منذ عامين")
    assert s.about() and not s.stated_mismatches(), s.mismatches
    assert s.aside and not s.states()  # set aside, it still keeps the evidence from stating the claim


def test_an_opposite_action_of_the_same_actor_still_contradicts():
    s = compare("ارتفع مؤشر الأسهم في البورصة اليوم بدعم من أرباح البنوك",
                "انخفض مؤشر الأسهم في البورصة اليوم بدعم من أرباح البنوك")
    assert "opposite action: claim 'increase', evidence 'decrease'" in s.stated_mismatches()


def test_a_negated_word_of_another_actor_is_no_contradiction():
    s = compare("قال الوزير إن حكومته لا تريد الدخول في مواجهة جديدة مع الجيران بسبب الأزمة",
                "وقال الوزير في وقت سابق إن الجيران تريد ضمانات بعدم التصعيد بسبب الأزمة")
    assert s.about() and not s.stated_mismatches(), s.mismatches
    assert s.aside and not s.states()


def test_a_negation_in_a_condition_states_nothing():
    claim = "ويجب أن تضمن الحكومة رواتب الموظفين كاملة هذا العام"
    s = compare(claim, "وقال إنه في حال لم تضمن الحكومة رواتب الموظفين فإن النقابة ستعلن الإضراب هذا العام")
    assert s.about() and not s.stated_mismatches(), s.mismatches
    assert s.aside and not s.states()  # nor does it state what the claim says
    # the same words stated as a fact still negate the claim
    s = compare(claim, "وقال إن الحكومة لم تضمن رواتب الموظفين كاملة هذا العام")
    assert any(m.startswith("negation mismatch") for m in s.stated_mismatches())


def test_a_negated_predicate_of_the_same_actor_still_contradicts():
    s = compare("وصل الوفد الحكومي إلى العاصمة للمشاركة في المفاوضات",
                "لم يصل الوفد الحكومي إلى العاصمة للمشاركة في المفاوضات")
    assert any(m.startswith("negation mismatch") for m in s.stated_mismatches())


def test_every_opposite_action_about_the_same_actor_is_a_reason():
    s = compare("أفرجت القوات عن المقاتلين في المدينة وفتحت القوات المعبر الحدودي",
                "أسرت القوات المقاتلين في المدينة وأغلقت القوات المعبر الحدودي")
    assert s.opposite and {"opposite action: claim 'open', evidence 'close'",
                           "opposite action: claim 'release', evidence 'capture'"} <= set(s.mismatches)


def test_a_falsehood_word_with_the_article_denies_what_follows_it():
    # "التسريب الكاذب عن ...": the article form of a listed falsehood word is a cue too
    claim = "السلطات تفرج عن الناشط خالد العمري بعد سنتين من الاعتقال"
    evidence = "لا نعرف هدف التسريب الكاذب عن الإفراج عن الناشط خالد العمري"
    assert any(m.startswith("denied") for m in compare(claim, evidence).stated_mismatches())


def test_a_falsehood_word_with_the_article_narrates_and_does_not_call_a_report_false():
    # "التهم الملفقة" names falsehood in passing: a verb-like cue held to the about test, not a report called false
    evidence = "توفي المعتقل سعيد في سجن الجنوب بعد سنوات من التهم الملفقة"
    found = facts(evidence)
    assert found.denial == "الملفقة" and not found.says_false
    assert not compare("وفاة معتقل في سجن المدينة المركزي بعد محاولة اقتحامه", evidence).contradicts()


def test_formulae_are_not_a_claims_content():
    # a banner and an invocation ("عاجل", "رحمه الله") do not lower the share of the claim a statement restates
    claim = "عاجل | وفاة الممثل سمير الحلبي بعد صراع مع المرض رحمه الله"
    assert facts(claim).terms == facts("وفاة الممثل سمير الحلبي بعد صراع مع المرض").terms
    assert compare(claim, "النقابة تقدم التعازي في وفاة الممثل سمير الحلبي بعد صراع طويل").states()


def test_a_source_disowning_the_report_attributed_to_it_contradicts_what_the_claim_quotes():
    # the claim quotes a channel ("X لقناة S: ..."); the channel calls "the news attributed to S" false: whatever the
    # quote says, the denial names no more of it than its source
    claim = "الوزير لقناة المدار الإخبارية: سنرفع أسعار الوقود الشهر المقبل بعد موافقة الحكومة"
    s = compare(claim, "هذا الخبر المنسوب لقناة المدار الإخبارية عار عن الصحة")
    assert s.source_denied and any(m.startswith("denied") for m in s.stated_mismatches())
    s = compare(claim, "ننفي التصريح المنسوب إلى قناة المدار حول الوقود")
    assert s.source_denied and s.contradicts()


def test_a_report_attributed_to_another_source_or_not_called_false_is_no_disowning():
    claim = "الوزير لقناة المدار الإخبارية: سنرفع أسعار الوقود الشهر المقبل بعد موافقة الحكومة"
    for evidence in ("هذا الخبر المنسوب لقناة النهار المحلية عار عن الصحة",  # another source
                     "الخبر المنسوب لقناة المدار الإخبارية نشر صباح اليوم",  # attributed, not called false
                     "المنسوب لقناة المدار الإخبارية. وهذا الكلام عار عن الصحة"):  # the attribution in another clause
        s = compare(claim, evidence)
        assert not s.source_denied and not s.contradicts()
    # a claim that quotes no one in its head: nothing to disown
    s = compare("سترفع الحكومة أسعار الوقود الشهر المقبل", "هذا الخبر المنسوب لقناة المدار الإخبارية عار عن الصحة")
    assert not s.source_denied and not s.contradicts()

STANDING = ("وهذا الفوز هو الخامس للنجوم في الدوري هذا الموسم مقابل الخسارة في 12 مباراة، والتعادل في أربع مباريات، "
            "فيما تعد هذه الخسارة هي العاشرة للأمل هذا الموسم مقابل الفوز في ثلاث مباريات والتعادل في خمس.")


def test_figures_of_other_holders_in_the_same_wording_are_not_compared():
    # the same template about two other teams: each clause's figures are its own team's
    other = ("يذكر أن هذا الفوز هو الثامن للشروق هذا الموسم مقابل الخسارة في تسع مباريات والتعادل في ست، "
             "فيما تعد هذه الهزيمة هي السابعة للرواد هذا الموسم مقابل الفوز في عشر مباريات والتعادل في أربع.")
    s = compare(STANDING, other)
    assert s.about() and s.overlap >= 0.5 and not s.mismatches and not s.states()


def test_a_figure_changed_in_a_restated_clause_is_still_named():
    s = compare(STANDING.replace("12 مباراة", "15 مباراة"), STANDING)
    assert s.mismatches == ["number mismatch: claim 15, evidence 12"]


CUP = ("سجل المهاجم 6 أهداف في البطولة القارية هذا الموسم وقاد فريقه إلى نصف النهائي بعد الفوز على منافسه "
       "({} بمجموع المباراتين)")


def test_a_score_a_margin_and_a_stage_are_no_counts():
    # "(4-1)" is a result, "متفوقا بأربعة أهداف" a lead over another, "ربع النهائي" a stage: none counts goals or halves
    league = ("يتصدر المهاجم هدافي البطولة المحلية هذا الموسم برصيد 20 هدفا متفوقا بأربعة أهداف على زميله وقاد فريقه "
              "إلى ربع النهائي")
    s = compare(CUP.format("4-1"), league)
    assert s.about() and s.overlap >= 0.5 and not s.mismatches


def test_a_changed_score_is_named():
    assert compare(CUP.format("4-1"), CUP.format("3-1")).mismatches == ["number mismatch: claim 4, evidence 3"]

def test_a_negation_before_a_concessive_does_not_negate_what_follows():
    claim = "ناقش الخبراء تداعيات انسحاب الحكومة من المعاهدة التجارية مع الجيران"
    s = compare(claim, "الشراكة مع الجيران لم تنته رغم انسحاب الحكومة من المعاهدة التجارية")
    assert not any(m.startswith("negation mismatch") for m in s.stated_mismatches()), s.mismatches
    # the withdrawal itself negated: still a contradiction
    s = compare(claim, "الحكومة لم تنسحب من المعاهدة التجارية مع الجيران")
    assert any(m.startswith("negation mismatch") for m in s.stated_mismatches()), s.mismatches


def test_a_negated_verb_of_another_named_subject_is_no_contradiction():
    claim = "وتصاعدت الأزمة مع حملة طرد دبلوماسيين من السفارة ردت عليها موسكو بالمثل"
    s = compare(claim, "إذ لم تطرد أثينا دبلوماسيين من السفارة كما فعلت العواصم الأخرى")
    assert not s.stated_mismatches() and any(line.endswith("of another actor") for line in s.aside), s.mismatches
    assert not s.states()
    # a subject the claim names too: a contradiction
    s = compare("طردت أثينا دبلوماسيين من السفارة ردا على الأزمة",
                "لم تطرد أثينا دبلوماسيين من السفارة رغم الأزمة")
    assert any(m.startswith("negation mismatch") for m in s.stated_mismatches()), s.mismatches


def test_a_negated_verb_of_saying_is_about_what_was_not_said():
    claim = "ولم تذكر الصحف الرسمية شيئا عن صفقة لتبادل الأسرى بين الطرفين في المدينة"
    s = compare(claim, "ذكرت الصحف الرسمية أن الجيش تقدم في حي آخر من المدينة")
    assert not s.stated_mismatches() and any(line.endswith("of another statement") for line in s.aside), s.mismatches
    # the same thing said: a contradiction
    s = compare(claim, "ذكرت الصحف الرسمية أن صفقة لتبادل الأسرى بين الطرفين في المدينة تمت")
    assert any(m.startswith("negation mismatch") for m in s.stated_mismatches()), s.mismatches


def test_a_report_called_false_of_another_act_is_set_aside():
    claim = "أوقف الوزير سامر النجار عمله في مشروع المرفأ بسبب اختفاء الناشط كريم الزين"
    s = compare(claim, "أكد مصدر رسمي أن الأنباء عن إغلاق السفارة على خلفية اختفاء الناشط كريم الزين لا أساس لها من"
                       " الصحة")
    assert not s.contradicts() and any(line.startswith("denied") for line in s.aside), s.mismatches
    # the report called false is the claim's act: a contradiction
    s = compare(claim, "أكد مصدر رسمي أن الأنباء عن إيقاف الوزير سامر النجار عمله في مشروع المرفأ لا أساس لها من"
                       " الصحة")
    assert s.contradicts() and not s.aside, s.aside


def test_a_denied_clause_ends_at_a_coordinated_verb():
    claim = "حذرت الحكومة من أن جهات خارجية قد تحاول التأثير في الانتخابات البلدية التي ستجرى في الخريف المقبل"
    coordinated = ("قال حزب المعارضة إن القانون الجديد قد يفتح الباب أمام التزوير وتهدد نزاهة الانتخابات البلدية التي "
                   "ستجرى في الخريف المقبل")
    governed = ("قال حزب المعارضة إن القانون الجديد قد يفتح الباب أمام التزوير في الانتخابات البلدية التي ستجرى في "
                "الخريف المقبل")
    assert not facts(coordinated).denied_terms
    assert not compare(claim, coordinated).stated_mismatches()
    assert compare(claim, governed).stated_mismatches()  # what follows the falsehood word is still what it names


def test_a_word_that_starts_with_waw_does_not_end_a_denied_clause():
    denied = facts("نفت الحكومة تقارير عن اجتماع وزارة الخارجية مع الوفد ويقول المعارضون إن الحوار مستمر").denied_terms
    assert {"زار", "خارج", "وفد"} <= denied  # "وزارة" is a word, not the conjunction
    assert "معارض" not in denied  # "ويقول" opens another clause


def test_a_report_called_false_that_shares_only_where_the_claim_happens_is_another_act():
    claim = "قال وزير الخارجية إن نظيره سيحمل رسالة من الرياض بشأن الأزمة بعد أن ينهي زيارته إلى المملكة"
    evidence = "قال وزير الخارجية إن الأنباء عن طرد السفير من المملكة لا أساس لها من الصحة"
    signals = compare(claim, evidence)
    assert not signals.stated_mismatches()  # "المملكة" says where, like a town's name, not what happened
    assert any(line.endswith("of another act") for line in signals.aside)
