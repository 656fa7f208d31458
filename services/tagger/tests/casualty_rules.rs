//! The casualty rules, one test per error class, on sentences written for these tests (no
//! development-set sentence, name, place or figure).
use eventwire_schema::v1::{CasualtyReport, CleanArticle, Count};
use eventwire_tagger::tag;

fn reports(body: &str) -> Vec<CasualtyReport> {
    let article = CleanArticle {
        id: "c1".into(),
        body: body.into(),
        published: Some("2024-05-02".into()),
        ..CleanArticle::default()
    };
    tag(&article).casualties
}

fn low(c: &Option<Count>) -> Option<u32> {
    c.as_ref().and_then(|c| c.low.or(c.high))
}

/// (killed, injured) of the only report.
fn figures(body: &str) -> (Option<u32>, Option<u32>) {
    let r = reports(body);
    assert_eq!(r.len(), 1, "one report expected for {body:?}: {r:#?}");
    (low(&r[0].killed), low(&r[0].injured))
}

fn affected(body: &str) -> Option<u32> {
    let r = reports(body);
    assert_eq!(r.len(), 1, "{r:#?}");
    low(&r[0].affected)
}

#[test]
fn single_victims_are_killed_one() {
    for body in [
        "A man was shot and killed outside a bakery on Tuesday night.",
        "Gunmen killed the mayor of a mountain town on Sunday.",
        "Marta Velloso, who was murdered last week, was buried on Friday.",
        "A teenager died of gunshot wounds after a fight near the river.",
        "A 41-year-old woman was stabbed to death in her apartment.",
    ] {
        assert_eq!(figures(body), (Some(1), None), "{body}");
    }
}

#[test]
fn shot_or_wounded_without_death_is_injured_one() {
    for body in [
        "A 20-year-old man was shot in the leg on Elm Street.",
        "A shopkeeper was wounded when the robbers opened fire.",
        "A woman was stabbed during an argument at a bus stop.",
    ] {
        assert_eq!(figures(body), (None, Some(1)), "{body}");
    }
}

#[test]
fn a_victim_shot_then_dead_is_killed_only() {
    let body = "A man was shot on Friday night near the market. He died at the hospital early on Saturday.";
    assert_eq!(figures(body), (Some(1), None));
}

#[test]
fn nominal_forms_count_their_victims() {
    for (body, killed) in [
        (
            "The deaths of at least 10 people were confirmed by the ministry.",
            10,
        ),
        ("Rebels claimed the assassination of four judges.", 4),
        (
            "Prosecutors charged him with the murder of two in the village.",
            2,
        ),
        ("Crowds mourned the slaying of nine protesters.", 9),
        ("The bodies of five men were found near the border.", 5),
    ] {
        assert_eq!(figures(body).0, Some(killed), "{body}");
    }
}

#[test]
fn words_between_the_number_and_the_noun() {
    assert_eq!(
        figures("More than 40 unarmed villagers were killed in the raid.").0,
        Some(40)
    );
    assert_eq!(
        figures("The father was charged with killing his five young children.").0,
        Some(5)
    );
}

#[test]
fn coordinated_victims_are_summed_in_their_groups() {
    let r = reports("At least 12 rebels and 3 policemen were killed in the clash.");
    assert_eq!(r.len(), 1, "{r:#?}");
    assert_eq!(low(&r[0].killed), Some(15));
    let groups: Vec<&str> = r[0].victims.iter().map(|g| g.group.as_str()).collect();
    assert!(
        groups.contains(&"fighters") && groups.contains(&"police"),
        "{groups:?}"
    );
    assert_eq!(
        figures("Two nurses and three patients were killed when the clinic was shelled.").0,
        Some(5)
    );
    assert_eq!(
        figures("The gunman killed his five children as well as his wife.").0,
        Some(6)
    );
    // a vague quantity alone after "and" counts something else ("millions in losses")
    assert_eq!(
        figures("Bombs hit two banks in Valdera, resulting in the injury of three workers and millions in losses.").1,
        Some(3)
    );
}

#[test]
fn headline_patterns() {
    let r = reports("2 dead, 1 injured in shooting at a night club");
    assert_eq!(r.len(), 1, "{r:#?}");
    assert_eq!((low(&r[0].killed), low(&r[0].injured)), (Some(2), Some(1)));
    // a double or quadruple shooting: victims shot, with no invented split
    assert_eq!(
        affected("Police are investigating a quadruple shooting downtown."),
        Some(4)
    );
    let r = reports("Police are investigating a double shooting downtown.");
    assert_eq!((low(&r[0].killed), low(&r[0].injured)), (None, None));
    assert_eq!(
        affected("Detectives are looking into a double stabbing."),
        Some(2)
    );
}

#[test]
fn combined_figures_are_not_killed() {
    assert_eq!(
        affected("Dozens were killed or wounded in the attack."),
        Some(12)
    );
    let r = reports("Five people were shot outside a bar early on Sunday.");
    assert_eq!(r.len(), 1, "{r:#?}");
    assert_eq!((low(&r[0].killed), low(&r[0].affected)), (None, Some(5)));
    // shot, some of them dead: the others were injured
    let (killed, injured) =
        figures("Five people were shot outside a bar. Two men were killed in the shooting.");
    assert_eq!((killed, injured), (Some(2), Some(3)));
    // "injuring scores": vague, 20 by the counting convention, and only injured
    let r = reports("The blast tore through the market, injuring scores.");
    assert_eq!(r.len(), 1, "{r:#?}");
    assert_eq!(low(&r[0].injured), Some(20));
    assert_eq!(
        r[0].injured.as_ref().map(|c| c.qualifier.as_str()),
        Some("vague")
    );
    assert_eq!(low(&r[0].killed), None);
}

#[test]
fn vague_words_invent_no_number() {
    for body in [
        "Several soldiers were killed in the ambush.",
        "A number of civilians were wounded by the shelling.",
    ] {
        let r = reports(body);
        assert!(
            r.iter()
                .all(|r| low(&r.killed).is_none() && low(&r.injured).is_none()),
            "{body}: {r:#?}"
        );
    }
}

#[test]
fn non_violent_deaths_carry_their_cause() {
    let r = reports("The earthquake killed 300 people in the valley.");
    assert_eq!(r.len(), 1, "{r:#?}");
    assert_eq!(r[0].cause, "disaster");
    let r = reports("Four people died of cholera in the camp.");
    assert_eq!(r[0].cause, "disease");
    let r = reports("Militants killed 7 soldiers at a checkpoint.");
    assert_eq!(r[0].cause, "");
}

#[test]
fn cumulative_tolls_are_marked() {
    let r = reports("Over 7,000 people have died in 10 years of war.");
    assert_eq!(r.len(), 1, "{r:#?}");
    assert!(r[0].cumulative);
    assert_eq!(low(&r[0].killed), Some(7000));
    let r = reports("Militants killed 7 soldiers at a checkpoint on Monday.");
    assert!(!r[0].cumulative);
}

#[test]
fn a_figure_recalled_from_an_older_incident_is_not_this_toll() {
    let r = reports(
        "A man was shot and killed on Monday, a mile from the site of the 2012 shooting that killed 3.",
    );
    assert_eq!(r.len(), 1, "{r:#?}");
    assert_eq!(low(&r[0].killed), Some(1));
}

#[test]
fn a_toll_in_a_when_clause_after_an_old_date_is_recalled() {
    let body = "The mayor said nothing like the raid last year, when a patrol killed 23 farmers, would happen again.";
    assert!(reports(body).is_empty(), "{:#?}", reports(body));
}

#[test]
fn a_group_figure_after_a_lone_victim_is_another_incident() {
    // the lone victim keeps its figure; the 40 belong to an earlier massacre
    let body = "A court clerk was stabbed to death on Tuesday. \
                Last spring she had testified about the massacre of 40 villagers by a militia.";
    let mut killed: Vec<Option<u32>> = reports(body).iter().map(|r| low(&r.killed)).collect();
    killed.sort();
    assert_eq!(killed, vec![Some(1), Some(40)]);
}

#[test]
fn ages_in_a_victim_phrase_are_not_counted() {
    // both numbers of "aged 24 and 37" are ages
    let body = "Two teachers -- aged 24 and 37 -- were shot dead on Friday.";
    assert_eq!(figures(body), (Some(2), None));
    // sentence-case copy: names in lower case, each with its age between commas
    let body = "The farmers lea fenwick, 35, and tomas okafor, 41, were murdered on Friday.";
    let killed: Vec<Option<u32>> = reports(body).iter().map(|r| low(&r.killed)).collect();
    assert!(
        !killed.contains(&Some(41)) && !killed.contains(&Some(35)),
        "{killed:?}"
    );
}

#[test]
fn idioms_threats_and_negations_report_nothing() {
    for body in [
        "The new law would kill two birds with one stone.",
        "The rebels threatened to kill the hostages.",
        "No one was injured in the fire drill.",
        "The officer fired once, but the suspect was not struck and was not hurt.",
        "The talks reached a dead end.",
    ] {
        assert!(reports(body).is_empty(), "{body}: {:#?}", reports(body));
    }
}

#[test]
fn not_a_single_victim_is_none() {
    for body in [
        "Not a single villager died in the raid last night.",
        "Not one soldier was killed in the ambush, the army said.",
    ] {
        assert!(reports(body).is_empty(), "{body}: {:#?}", reports(body));
    }
}

#[test]
fn death_threats_and_death_squads_are_no_deaths() {
    for body in [
        "The priest has received death threats for weeks.",
        "Several officers were linked to the death squads of the old regime.",
    ] {
        assert!(reports(body).is_empty(), "{body}: {:#?}", reports(body));
    }
}

#[test]
fn an_aim_to_kill_or_a_call_for_a_killing_is_no_report() {
    for body in [
        "The hit squad flew to the coast to kill the union leader.",
        "The colonel ordered his men to kill the prisoners.",
        "A radio host was fined for calling for the assassination of the governor.",
    ] {
        assert!(reports(body).is_empty(), "{body}: {:#?}", reports(body));
    }
    // a verb of success reports the killing
    let body = "The sniper managed to kill 2 guards and wound 9 others before he was shot.";
    assert_eq!(figures(body).0, Some(2));
}

#[test]
fn a_number_in_a_name_or_model_is_no_count() {
    let body = "Two QX-9 pilots were killed when gunmen attacked the air base.";
    assert_eq!(figures(body).0, Some(2));
    let body = "Rebels said the Q-12 members were murdered by soldiers on Monday.";
    let killed: Vec<Option<u32>> = reports(body).iter().map(|r| low(&r.killed)).collect();
    assert!(!killed.contains(&Some(12)), "{killed:?}");
}

#[test]
fn a_modifier_between_victims_and_their_verb_is_stepped_over() {
    for (body, killed) in [
        (
            "At least five nurses riding in an ambulance were killed in the ambush.",
            5,
        ),
        (
            "Early on Monday, three nurses who worked at the clinic were murdered.",
            3,
        ),
    ] {
        assert_eq!(figures(body).0, Some(killed), "{body}");
    }
}

#[test]
fn the_injury_of_people_is_injured() {
    let body = "Grenades were thrown at a market, resulting in the injury of eleven shoppers.";
    assert_eq!(figures(body), (None, Some(11)));
}

#[test]
fn an_unknown_name_with_an_apposition_for_one_person_is_one_victim() {
    // sentence-case copy: the name is not known as a name, its apposition names a wife
    let body = "The ministry said gunmen today killed lyra okafor, wife of a retired colonel, in the north of the city.";
    assert_eq!(figures(body), (Some(1), None));
}

#[test]
fn a_murder_trial_or_case_is_no_death() {
    for body in [
        "The suspect appeared at his murder trial on Monday.",
        "The judge dropped the murder charges against the guard.",
    ] {
        assert!(reports(body).is_empty(), "{body}: {:#?}", reports(body));
    }
}

#[test]
fn a_number_in_a_compound_modifier_is_no_count() {
    for body in [
        "A sniper killed a four-star general on Tuesday.",
        "A gunman killed a three-term mayor outside the town hall.",
    ] {
        assert_eq!(figures(body), (Some(1), None), "{body}");
    }
    // a two-man crew is two people
    assert_eq!(
        figures("The blast killed a two-man crew on Tuesday.").0,
        Some(2)
    );
}

#[test]
fn two_incidents_in_one_article_are_two_reports() {
    let body = "A car bomb killed 6 people in Northbridge on Monday. \
                In a separate attack, gunmen killed 3 villagers in Eastfield.";
    let r = reports(body);
    assert_eq!(r.len(), 2, "{r:#?}");
    let killed: Vec<Option<u32>> = r.iter().map(|r| low(&r.killed)).collect();
    assert_eq!(killed, vec![Some(6), Some(3)]);
}

#[test]
fn decimals_without_a_leading_zero_are_not_whole_numbers() {
    let q = eventwire_timex::find_quantities("The rate fell to .77 last year.");
    let v: Vec<Option<f64>> = q.iter().map(|q| q.value).collect();
    assert!(v.contains(&Some(0.77)), "{q:?}");
    let q = eventwire_timex::find_quantities("a budget of .0012G");
    let v: Vec<Option<f64>> = q.iter().map(|q| q.value).collect();
    assert!(v.contains(&Some(1.2e6)), "{q:?}");
}

/// The victim texts of the killed and injured figures of every report.
fn victim_texts(body: &str) -> Vec<String> {
    reports(body)
        .iter()
        .flat_map(|r| [r.killed.as_ref(), r.injured.as_ref()])
        .flatten()
        .map(|c| c.text.clone())
        .collect()
}

#[test]
fn the_subject_of_an_active_verb_with_an_object_is_the_attacker() {
    let body = "After a guard fatally shot cashier Pia Lund, the store closed.";
    assert_eq!(figures(body), (Some(1), None));
    let texts = victim_texts(body);
    assert!(texts.iter().all(|t| !t.contains("guard")), "{texts:?}");
    // a subject pronoun before an active verb shot, it was not shot
    let body = "He shot twice into the ceiling before fleeing, witnesses said.";
    assert!(reports(body).is_empty(), "{:#?}", reports(body));
}

#[test]
fn the_main_subject_is_no_victim_across_another_clause() {
    // a relative pronoun: the victims are its antecedent, here without a figure
    let body = "The bishop told mourners the parish remembers the miners who were trapped and died underground.";
    let texts = victim_texts(body);
    assert!(texts.iter().all(|t| !t.contains("bishop")), "{texts:?}");
    // a conjunction: the subject after it
    let body = "The siege ended at dawn, but a guard who had hidden in the cellar was found and killed by the raiders.";
    assert_eq!(victim_texts(body), vec!["a guard".to_string()]);
    // closed appositions, one a relative clause, leave the main subject
    let body = "Lena Dorn, 31, of Westbrook, who remains in the hospital with minor injuries, was later released.";
    assert_eq!(figures(body), (None, Some(1)));
}

#[test]
fn a_country_an_organisation_or_a_group_is_no_single_victim() {
    let body = "Pia Lund, a chemist from Eastfield in Norland, who ran a small lab, died in a fire set by arsonists.";
    assert_eq!(victim_texts(body), vec!["Pia Lund".to_string()]);
    let body = "The Wardens were killed in the raid, the elders said.";
    assert!(reports(body).is_empty(), "{:#?}", reports(body));
}

#[test]
fn dead_before_its_noun_has_no_subject() {
    let body = "The picture, which reporters verified, shows medics kneeling beside dead bodies in a field.";
    assert!(reports(body).is_empty(), "{:#?}", reports(body));
}

#[test]
fn a_verb_before_the_determiner_ends_the_victim_phrase() {
    let body = "The driver said he once saw a teenager killed near the bakery.";
    assert_eq!(victim_texts(body), vec!["a teenager".to_string()]);
}

#[test]
fn a_toll_dated_long_before_the_article_is_recalled() {
    // the test articles are published on 2024-05-02
    for body in [
        "Twenty bodies were found in 1987 in the valley, the report said.",
        "Two brothers were killed eleven years ago in the village.",
        "In October 2019, 14 miners were killed in a blast at the pit.",
    ] {
        assert!(reports(body).is_empty(), "{body}: {:#?}", reports(body));
    }
    let body = "Three guards were killed on Tuesday in an attack on the depot.";
    assert_eq!(figures(body), (Some(3), None));
}

#[test]
fn attempts_fears_and_legal_phrases_are_no_deaths() {
    for body in [
        "The rebels made three assassination attempts on the governor.",
        "Hundreds of families fled the valley, afraid of dying in the shelling.",
        "The former guard lost the appeal against his murder conviction.",
        "The peace plan was dead in the water, officials said.",
    ] {
        assert!(reports(body).is_empty(), "{body}: {:#?}", reports(body));
    }
}

#[test]
fn one_noun_told_twice_in_a_sentence_is_one_victim() {
    // a headline glued to its lead
    let body =
        "Anger Over Miner's Death-The shooting death of a miner at the gate has stirred protests.";
    assert_eq!(figures(body), (Some(1), None));
}

#[test]
fn an_age_or_a_duration_is_no_count() {
    let body = "A teacher and 8 pupils under the age of 7 were wounded in the blast.";
    let injured: Vec<Option<u32>> = reports(body).iter().map(|r| low(&r.injured)).collect();
    assert!(
        !injured.contains(&Some(16)) && !injured.contains(&Some(15)),
        "{injured:?}"
    );
    let body =
        "About six hours later, officers found a woman at the clinic with a wound to her arm.";
    let injured: Vec<Option<u32>> = reports(body).iter().map(|r| low(&r.injured)).collect();
    assert!(!injured.contains(&Some(6)), "{injured:?}");
}

#[test]
fn killed_and_wounded_together_is_no_death_toll() {
    let body = "About 300 soldiers were killed and wounded during the siege of the port.";
    assert_eq!(figures(body), (None, None));
    assert_eq!(affected(body), Some(300));
}

#[test]
fn a_denied_death_is_no_report() {
    for body in [
        "The militia denies that its leader died in the raid.",
        "The ministry denied reports that two guards died at the border post.",
    ] {
        assert!(reports(body).is_empty(), "{body}: {:#?}", reports(body));
    }
}

#[test]
fn an_archive_photo_caption_reports_nothing() {
    let body = "FILE - Mourners carry the coffin of a guard killed in an ambush, in Eastfield, March 3, 2023.";
    assert!(reports(body).is_empty(), "{:#?}", reports(body));
}

#[test]
fn a_fatal_shooting_of_someone_is_a_death() {
    let body = "Hundreds marched after the fatal shooting of Tomas Verbeek by a deputy.";
    assert_eq!(figures(body), (Some(1), None));
}

#[test]
fn a_relative_clause_inside_the_victim_phrase_keeps_its_figure() {
    let body = "Officials said that about 15 of the men who stormed the depot were killed.";
    assert_eq!(figures(body), (Some(15), None));
    let body = "He did not want anyone to hurt his daughter, he said.";
    assert!(reports(body).is_empty(), "{:#?}", reports(body));
}

#[test]
fn a_word_in_ing_before_a_noun_for_people_is_part_of_the_phrase() {
    let body = "Rebels shot dead a judge, the longest serving officer killed this year.";
    assert_eq!(figures(body).0, Some(1));
}

#[test]
fn some_of_them_adds_no_victims() {
    let body = "Gunmen killed 9 people, four of them children, in the village on Monday.";
    assert_eq!(figures(body), (Some(9), None));
}

#[test]
fn a_victim_phrase_ends_before_and_with_a_verb() {
    let body = "The union blamed the cartel for the killing of organizer Pia Lund and has called a strike.";
    assert_eq!(figures(body), (Some(1), None));
}

#[test]
fn a_long_relative_clause_between_commas_is_stepped_over() {
    let body = "Officials said a woman, who is thought to have worked as a cleaner at the old customs house on the quay, was killed by the blast.";
    assert_eq!(figures(body), (Some(1), None));
}

#[test]
fn a_figure_before_an_adjective_and_a_casualty_noun_counts() {
    let body = "The fire caused two tragic deaths at the farm.";
    assert_eq!(figures(body).0, Some(2));
}

#[test]
fn a_date_or_a_place_between_a_casualty_noun_and_its_of_is_stepped_over() {
    let body = "Relatives mourned after the killing on 28 April of farmer Pia Lund near the river.";
    assert_eq!(figures(body), (Some(1), None));
    let body = "Unions denounced the killing in Eastfield of a young nurse.";
    assert_eq!(figures(body), (Some(1), None));
}

#[test]
fn the_slain_person_is_one_killed() {
    let body = "Crowds lined the road for the funeral of the slain mayor Pia Lund.";
    assert_eq!(figures(body), (Some(1), None));
    // an injured attribute after "a" is still no report
    let body = "Medics carried a wounded woman to the ambulance.";
    assert!(reports(body).is_empty(), "{:#?}", reports(body));
}
