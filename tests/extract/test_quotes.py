"""Quotes: tables of wire-style texts written by the team, over the real model (loaded once per session)."""

from __future__ import annotations

import datetime as dt

import pytest

from tacitus.extract import actors, entities, quotes
from tacitus.lexicon import LexiconError


@pytest.fixture(scope="session")
def find(pipeline):
    """find(text) -> quotes, through entities, actors (coreference) and quotes without the other extractors."""

    def run(text: str):
        doc = pipeline.nlp(text)
        index = entities.entities(doc)
        index = actors.actors(doc, entities=index, lexicon=pipeline.resources["actors"], date=dt.date(2021, 3, 29))
        return quotes.quotes(doc, entities=index, lexicon=pipeline.resources["quotes"])

    return run


def summary(found) -> list[tuple[str, str, str | None]]:
    return [(q.kind, q.text, q.speaker.name if q.speaker else None) for q in found]


@pytest.mark.parametrize("text, expected", [
    # direct quote, attribution after
    ('The minister defended the plan on Tuesday. "We will not retreat from this reform," Ana Ortiz said.',
     [("direct", '"We will not retreat from this reform,"', "Ana Ortiz")]),
    # curly marks, inverted attribution with an apposition
    ("“The talks were constructive,” said Pedro Alves, the foreign minister.",
     [("direct", "“The talks were constructive,”", "Pedro Alves")]),
    # attribution before, with a colon
    ('Central bank governor Li Wen told reporters: "Inflation will stay above target this year."',
     [("direct", '"Inflation will stay above target this year."', "Li Wen")]),
    # interrupted by the attribution, across sentences and within one
    ('"We are ready to talk," Maria Costa said. "But we will not accept conditions."',
     [("direct", '"We are ready to talk,"', "Maria Costa"),
      ("direct", '"But we will not accept conditions."', "Maria Costa")]),
    ('"The border will stay open," Omar Haddad said, "as long as the ceasefire holds."',
     [("direct", '"The border will stay open,"', "Omar Haddad"),
      ("direct", '"as long as the ceasefire holds."', "Omar Haddad")]),
    # a pronoun speaker resolves to the person named before
    ('Prime Minister Lena Vogt arrived in Brussels on Monday. "Europe must act together," she said.',
     [("direct", '"Europe must act together,"', "Lena Vogt")]),
    # a quote over two paragraphs (the first left open, the second reopened)
    (('"The first phase of the work is complete.\n\n"The second phase starts in May," the spokesman, Ivan Petrov, '
     "said."),
     [("direct", '"The first phase of the work is complete.\n\n"The second phase starts in May,"', "Ivan Petrov")]),
    # a role noun refers back to the person introduced with it
    (('Zhao Lijian, a spokesman for the Foreign Ministry, spoke on Monday. "China firmly opposes this '
     'interference," the spokesman said.'),
     [("direct", '"China firmly opposes this interference,"', "Zhao Lijian")]),
    # odd quote characters
    ("The talks ended late on Friday. «We are ready to sign,» Marie Dubois said.",
     [("direct", "«We are ready to sign,»", "Marie Dubois")]),
    ("„We are ready to sign,“ Klaus Weber said.", [("direct", "„We are ready to sign,“", "Klaus Weber")]),
    ("``The vote was fair,'' election chief Sam Kariuki said.",
     [("direct", "``The vote was fair,''", "Sam Kariuki")]),
    # nested quotes stay inside the outer quote
    ("\"He told me, 'We will never give up,' and I believed him,\" Sara Lind said.",
     [("direct", "\"He told me, 'We will never give up,' and I believed him,\"", "Sara Lind")]),
    # a title abbreviation in the attribution ends no sentence
    ('Police charged a man on Friday. "He is a danger to the public," Sgt. Maria Lopez said.',
     [("direct", '"He is a danger to the public,"', "Maria Lopez")]),
    # a quote on its own with no one to attribute it to keeps a null speaker
    ('"This is a dark day for our country."', [("direct", '"This is a dark day for our country."', None)]),
])
def test_direct_quotes(find, text, expected):
    assert summary(find(text)) == expected


@pytest.mark.parametrize("text, expected", [
    ("Defence Minister Kofi Mensah said on Friday that the army would withdraw from the border town.",
     [("indirect", "that the army would withdraw from the border town", "Kofi Mensah")]),
    ("Senator Ruth Adler told reporters that the bill lacked support in the chamber.",
     [("indirect", "that the bill lacked support in the chamber", "Ruth Adler")]),
    ("According to the Interior Ministry, 40 people were arrested overnight in the capital.",
     [("indirect", "40 people were arrested overnight in the capital", "Interior Ministry")]),
    ("The ceasefire is holding, army spokesman Dan Meir said.",
     [("indirect", "The ceasefire is holding", "Dan Meir")]),
    ("Union leader Tom Berg warned the company not to cut wages. Berg urged workers to join the strike.",
     [("indirect", "not to cut wages", "Tom Berg"), ("indirect", "to join the strike", "Tom Berg")]),
    # a participle cue reports for the subject of the main cue, and ends the first report
    (("Dana Scott, a lawyer for the family, said the police had ignored repeated warnings, adding that a "
     "lawsuit was likely."),
     [("indirect", "the police had ignored repeated warnings", "Dana Scott"),
      ("indirect", "that a lawsuit was likely", "Dana Scott")]),
    ("The World Bank cut its growth forecast on Tuesday. It said that exports would slow sharply this year.",
     [("indirect", "that exports would slow sharply this year", "World Bank")]),
    # a speech noun with its that-clause
    ("Ana Ortiz spoke on Friday. Her claim that the vote was rigged drew criticism from observers.",
     [("indirect", "that the vote was rigged", "Ana Ortiz")]),
    # not reported speech: a negated cue, a reported question
    ("The ministry did not say whether the talks would resume next week.", []),
    ("Reporters asked whether the talks would resume next week.", []),
])
def test_indirect_quotes(find, text, expected):
    assert summary(find(text)) == expected


@pytest.mark.parametrize("text, expected", [
    # quoted phrases inside reported speech: the clause is mixed, the phrase partial
    ('Foreign Minister Sergei Orlov said the sanctions were "an act of economic war."',
     [("mixed", 'the sanctions were "an act of economic war."', "Sergei Orlov"),
      ("partial", '"an act of economic war."', "Sergei Orlov")]),
    ('Senator Ortiz described the proposal as "a betrayal of voters."',
     [("partial", '"a betrayal of voters."', "Ortiz")]),
    # headline-style attribution after a colon
    ("Talks must resume 'without preconditions': Amara Diallo",
     [("mixed", "Talks must resume 'without preconditions'", "Amara Diallo")]),
    # scare quotes with no one speaking are no quotes
    ('The so-called "peace plan" was published on Thursday.', []),
    # a quoted name inside reported speech is no partial quote: `called "..."`, `known as "..."`, `so-called "..."`
    ('The retailer said it will launch a new line called "Horizon" next spring.',
     [("indirect", 'it will launch a new line called "Horizon" next spring', None)]),
    ('The bank said the category known as "other loans" fell by 30 mln dlrs.',
     [("indirect", 'the category known as "other loans" fell by 30 mln dlrs', None)]),
    ('Analyst Ann Lee said the so-called "junk" bonds would recover.',
     [("indirect", 'the so-called "junk" bonds would recover', "Ann Lee")]),
])
def test_partial_quotes(find, text, expected):
    assert summary(find(text)) == expected


@pytest.mark.parametrize("text, expected", [
    # the subject of a passive cue is reported about, not reporting
    ("The central bank, which was reported selling dollars in Zurich, declined to comment.", []),
    ("Officials from three ministries have been asked to submit new figures by May.", []),
    ("Nora Ruiz could not give a date, but it was announced on Friday that the plant would close.", []),
    # ... except `was quoted as saying`, and `quoted X as saying` names X
    ("Deputy Minister Lars Berg was quoted as saying that exports would rise.",
     [("indirect", "that exports would rise", "Lars Berg")]),
    ("The agency quoted Deputy Minister Lars Berg as saying that exports would rise.",
     [("indirect", "that exports would rise", "Lars Berg")]),
    # an aspectual verb is no cue; a cue in an if-clause reports nothing yet
    ("The dam was left unfinished when lawmakers refused to continue funding the project.", []),
    ("If the regulator determines that the merger harms consumers, the deal will be blocked.", []),
    # reported speech stays in the paragraph of its cue (`told Reuters` reports the clause before it, no more)
    (("Heavy rain has flooded the northern provinces, aid officials told Reuters\n\nIn the south, farmers fear the "
      "harvest will fail."),
     [("indirect", "Heavy rain has flooded the northern provinces", None)]),
    # the object of `tell` is who hears: the statement before `..., X told reporters.` is still reported
    ("The regulator has fined Delmar Bank for late filings, a bank spokeswoman told reporters.",
     [("indirect", "The regulator has fined Delmar Bank for late filings", None)]),
    ("Exports to Norland will rise next year, Trade Minister Ana Ruiz told the annual meeting.",
     [("indirect", "Exports to Norland will rise next year", "Ana Ruiz")]),
    (("Heavy rain has flooded the northern provinces, aid officials said\n\nIn the south, farmers fear the harvest "
      "will fail."),
     [("indirect", "Heavy rain has flooded the northern provinces", None)]),
    # an abbreviation's full stop inside a fronted report ends no sentence
    ("A rise in U.S. farm exports is expected this year, agriculture official Tom Reed said.",
     [("indirect", "A rise in U.S. farm exports is expected this year", "Tom Reed")]),
])
def test_wire_report_forms(find, text, expected):
    assert summary(find(text)) == expected


def speakers(found) -> dict[str, str | None]:
    return {q.text: q.speaker.name if q.speaker else None for q in found}


@pytest.mark.parametrize("text, expected", [
    # a name tagged as a person but used as an organisation (`researcher at Dixon Hall`) is no `she`
    (("Nadia Jamil, a principal researcher at Dixon Hall, said the study showed a complex picture. Jamil said Dixon "
      "Hall launched the project to understand why people return each winter.\n\n\"There is a sense of community "
      "here. People look out for each other,\" she said."),
     {'"There is a sense of community here. People look out for each other,"': "Nadia Jamil"}),
    # a firm's name after `the` (`the Kinder Morgan pipeline`) is no `she` either
    (("Darian Lonechild, the council's chair, spoke on Friday.\n\nThe council will hold a summit next year. The group "
      "stated it opposed the Kinder Morgan pipeline.\n\n\"This land is who we are,\" she said."),
     {'"This land is who we are,"': "Darian Lonechild"}),
    # the subject of the sentence before the quote, even when the NER missed the name
    (("Rescue teams reached the village on Sunday.\n\nYuni, a resident of the coastal village, was watching television "
      "at home when she heard the water coming.\n\n\"I ran as fast as I could and did not look back,\" she said."),
     {'"I ran as fast as I could and did not look back,"': "Yuni"}),
    # `he would tell John Tory ..., he said`: the person told is not the one speaking
    (("Toronto Mayor John Tory opened the new shelter on Friday.\n\nDennis Brooks, 54, has spent most of his life "
      "outdoors. \"I got presents for every one of them,\" he says.\n\nAsked what he would tell Toronto Mayor John "
      "Tory about being homeless, he said: \"Just listen. Just listen to us.\""),
     {'"Just listen. Just listen to us."': "Dennis Brooks"}),
    # a heading the parser glued onto the attribution is not the speaker
    (("Mayor Doug McCallum defended the budget on Monday.\n\nClaims about the arena costs\n\nMcCallum also claimed "
      "of the new arena, \"The land underneath is very unstable.\""),
     {'"The land underneath is very unstable."': "Doug McCallum"}),
    # a document speaks for its author (`by X`), not for the one it was sent to
    (("The judge criticised the station's board. A statement e-mailed to The Globe by Reagan Ruslim, who joined the "
      "board last month, said \"The station will respect the order of the court.\""),
     {'"The station will respect the order of the court."': "Reagan Ruslim"}),
    (("Retail and banking are the best bets for young workers, according to a study which is being released Monday "
      "by Civic Action."), {"Retail and banking are the best bets for young workers": "Civic Action"}),
    # `the military` names itself: no guess among the organisations in view
    (("Floods hit the coast of Java on Saturday, the Red Cross said. The military said it was deploying troops to "
      "distribute aid."), {"it was deploying troops to distribute aid": None}),
    # `they` after two people named together
    (("The company's owners, Tore Sohlberg and Lehla Abreder, said they respected the outcome of the vote.\n\n"
      "\"Our priority is a safe and healthy workplace,\" they said."),
     {'"Our priority is a safe and healthy workplace,"': "Tore Sohlberg and Lehla Abreder"}),
    # back-to-back quotes: the second has its own attribution (an apposition with the name mistagged)
    (("\"It's months of panels and fixing mistakes,\" says the young artist. \"But it's all been worth it.\" \"If "
      "Alfonso wasn't printing local comics, I don't think my son would be drawing,\" says Wise's dad, Darrin."),
     {"\"If Alfonso wasn't printing local comics, I don't think my son would be drawing,\"": "Darrin"}),
    # a quote ending its sentence is not attributed to a subordinate clause after it
    (("\"We are very pleased with how the first cohort worked,\" says MaRS director Adam Jagelewski. \"We are setting "
      "ourselves up for the second cohort.\" While some critics say government should not pay a middle man, "
      "Jagelewski says the premium makes everyone work harder."),
     {'"We are setting ourselves up for the second cohort."': "Adam Jagelewski"}),
    # a quote after a colon: the person whose clause the colon ends
    (("Shares of the carmaker fell on Monday. Governance worries returned in December when Elon Musk again took to "
      "Twitter with this: \"The title is an honorific. I will retire it in three years.\""),
     {'"The title is an honorific. I will retire it in three years."': "Elon Musk"}),
    # a quoted word in an aside belongs to the one naming it there (`any of his MPs — Rempel called ...`)
    (("If any of his MPs resort to name-calling \u2014 Calgary MP Michelle Rempel this week called the immigration "
      "minister a \"chicken\" on Twitter, for example \u2014 Scheer insists it is a reaction to the Liberals."),
     {'"chicken"': "Michelle Rempel", "it is a reaction to the Liberals": "Scheer"}),
    # a quote ending its sentence before a new one with a quoted word: no mixed quote across them
    (("\"Health promotion is hard,\" Erin Kim says. \"And that is what this program is trying to show.\" Most of the "
      "support comes through the charity's \"Activate\" website and an app."),
     {'"And that is what this program is trying to show."': "Erin Kim"}),
    # an indefinite role is the person the next attribution names, bare, for the first time ...
    (("A spokeswoman for the premier said she would not back down on the carbon tax.\n\n\"Voters rejected that "
      "approach in the last election,\" said Eleanor Catt."),
     {"she would not back down on the carbon tax": "Eleanor Catt"}),
    # ... but not someone introduced with a description of their own
    ("A police officer said the road would stay closed overnight. John Smith, a neighbour, said he heard a loud bang.",
     {"the road would stay closed overnight": None, "he heard a loud bang": "John Smith"}),
    # a definite description of a person is the one the sentence before was about, not the most named one
    (("Fouzia Al Hashish studies English at night. She says the test is hard. Al Hashish failed it twice, and she "
      "will try again in June.\n\nMohammad Al Mnajer passed his language test earlier this year, a feat he links to "
      "finding a job with a construction firm.\n\nThe 32-year-old labourer says each day he learns new English "
      "words from co-workers."),
     {"each day he learns new English words from co-workers": "Mohammad Al Mnajer"}),
    # a name that modifies the speaking noun is not the speaker: `a Trudeau spokesman`, `Kinder Morgan staff`
    ("Justin Trudeau met the premiers on Friday. A Trudeau spokesman said the meeting was productive.",
     {"the meeting was productive": None}),
    ("Kinder Morgan staff said the pipeline would be finished by 2020.",
     {"the pipeline would be finished by 2020": None}),
    # a participle hung on the object by the parser speaks for the subject of the verb
    ('Finance Minister Rita Moss spoke in Ottawa. She dismissed a "short cut" adding, "There is no easy way out."',
     {'"There is no easy way out."': "Rita Moss"}),
    # an anonymous source is never the person just named; a communique is not the minister who chaired
    ("Finance Minister Ken Ito met bankers on Monday. The source close to the ministry said Ito would resign.",
     {"Ito would resign": None}),
    ("Finance Minister Karl Stein chaired the meeting. The communique said the currencies were stable.",
     {"the currencies were stable": None}),
    # an unnamed official quoted just before goes on as `the official` and `he`, not a person named further back
    (('Secretary of State George Ross will visit Tokyo next week. "We understand their anger," a senior Japanese '
      "official said. The official said that the strong yen had hurt exporters badly. He said Washington ignored "
      "the progress made so far."),
     {"that the strong yen had hurt exporters badly": None, "Washington ignored the progress made so far": None}),
    # `they` after a group of unnamed people is that group, not an organisation they talk about
    ("Analysts said Delmar Bank's loan book looked healthy. The bank could raise its dividend soon, they said.",
     {"The bank could raise its dividend soon": "Analysts"}),
    ("Grain traders said Ruritania had bought more maize from Norland. They said the purchases would continue.",
     {"the purchases would continue": "Grain traders"}),
    # ... and goes on as the same group after a first `they said`
    (("The three research institutes said the central bank should cut interest rates. Prices are stable, they "
      "said. \"The Norland central bank has room to act,\" they said."),
     {'"The Norland central bank has room to act,"': "The three research institutes"}),
    # a name holding a corporate designator, or naming a firm in view, is no `he`
    (("Jorge Valdez, an analyst at Brinkley Securities, spoke after Halvorsen Mines reported losses. Halvorsen "
      "Mines cut jobs in May.\n\nHe said the company would close a smelter."),
     {"the company would close a smelter": "Jorge Valdez"}),
    # `it` is an organisation, never a nationality
    ("Halvard Steel Corp said it would cut output. The Ruritanians cancelled their orders, it said.",
     {"The Ruritanians cancelled their orders": "Halvard Steel Corp"}),
])
def test_speaker_resolution(find, text, expected):
    found = speakers(find(text))
    assert {words: found.get(words, "(no such quote)") for words in expected} == expected


def test_record_fields(find):
    text = 'Ana Ortiz spoke in Lima. "We will not retreat from this reform," she said on Tuesday.'
    (quote,) = find(text)
    assert quote.id == "Q1"
    assert text[quote.start : quote.end] == quote.text
    assert quote.cue is not None and text[quote.cue.start : quote.cue.end] == quote.cue.text == "said"
    assert quote.speaker is not None and quote.speaker.text == "she"
    assert text[quote.speaker.start : quote.speaker.end] == "she"
    assert quote.speaker.entity is not None and quote.speaker.name == "Ana Ortiz"
    assert quote.sentence.start <= quote.start < quote.end <= quote.sentence.end


LONG_PARAGRAPH = "Officials met on Friday to discuss the budget, and the council approved it after a debate. " * 40


@pytest.mark.parametrize("text", [
    # unbalanced: an opening mark never closed stays within its paragraph
    'The mayor said "we will rebuild the bridge and the school.\n\nOfficials met on Friday. The council agreed.',
    'A closing mark with no opening" and another" here.\n\nThe council agreed on Friday.',
    # quotes spanning the whole article
    '"' + LONG_PARAGRAPH + '\n\n"' + LONG_PARAGRAPH + '"',
    '"' + LONG_PARAGRAPH,
    # a quote mark as inch sign
    'Workers laid a 6" pipe under the road, and "the work will finish in May," contractor Raj Patel said.',
    'The 12" guns and 8" shells were moved on Friday.',
    # odd characters only
    "\"\"\"\" « '' „“ `` ‘ ’ ' » ”",
    "",
    "   \n\n  ",
])
def test_bad_input_is_bounded(find, text):
    found = find(text)
    for quote in found:
        assert text[quote.start : quote.end] == quote.text
        assert quote.end - quote.start <= quotes.MAX_QUOTE_CHARS
        assert "\n\n" not in quote.text or quote.text.count('"') >= 2  # only a reopened quote crosses paragraphs
    starts = {q.start for q in found}
    for inch in ('6"', '12"', '8"'):
        if inch in text:
            assert text.index(inch) + len(inch) - 1 not in starts


def test_inch_sign_keeps_the_real_quote(find):
    found = find('Workers laid a 6" pipe under the road, and "the work will finish in May," contractor Raj Patel said.')
    assert ("partial", '"the work will finish in May,"', "Raj Patel") in summary(found)


@pytest.mark.parametrize("text, expected", [
    ('a "b" c "d"', [(2, 5, True), (8, 11, True)]),
    ("“one” and “two”", [(0, 5, True), (10, 15, True)]),
    ('"left open\n\nnext paragraph', [(0, 10, False)]),
    ('"continued\n\n"and closed"', [(0, 24, True)]),
    ('a 6" pipe', []),
    ("don't and it's", []),
    ("UN needs 'no restrictions': Guterres", [(9, 26, True)]),
])
def test_find_quoted(text, expected):
    assert quotes.find_quoted(text) == expected


def test_lexicon_errors_name_file_and_line(tmp_path):
    bad = tmp_path / "cues.tsv"
    bad.write_text("say\tverb\tspeech\ntell\tverb\tgossip\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"cues.tsv:2: unknown frame"):
        quotes.read_lexicon([bad])
    bad.write_text("say\tverb\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"cues.tsv:1"):
        quotes.read_lexicon([bad])


def test_first_names_errors_name_file_and_line(tmp_path):
    bad = tmp_path / "names.tsv"
    bad.write_text("f\tAnna|Julie\nx\tSam\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"names.tsv:2: unknown gender"):
        quotes.read_first_names(bad)


def test_lexicon_size_and_version(pipeline):
    lexicon = pipeline.resources["quotes"]
    assert len(lexicon.verbs) > 250 and ("according", "to") in lexicon.phrases
    assert lexicon.speaker_nouns["agency"] == "organisation" and lexicon.speaker_nouns["military"] == "institution"
    assert lexicon.first_names["julie"] == "f" and lexicon.first_names["jim"] == "m"
    assert quotes.version(lexicon).startswith(quotes.VERSION + "+lexicons-")


def test_xinjiang_example(find):
    """The measured goals of the quotes issue on the shared example article."""
    from tests.conftest import shared_path

    text = shared_path("examples", "xinjiang-un-visit-2021-03-29.txt").read_text(encoding="utf-8")
    found = summary(find(text))
    by_speaker: dict[str | None, list[tuple[str, str]]] = {}
    for kind, words, name in found:
        by_speaker.setdefault(name, []).append((kind, words))
    zhao = by_speaker["Zhao Lijian"]
    assert ("direct", ('"The purpose of the visit is to promote exchanges and cooperation between the two sides, not to '
            "conduct a so-called 'investigation' with a presumption of guilt,\"")) in zhao
    assert any(k == "direct" and w.startswith('"At the same time, we oppose') for k, w in zhao)
    assert ("partial", '"a few Western countries"') in zhao
    assert ("indirect", "that the Chinese government would welcome a visit") in zhao
    xu = by_speaker["Xu Guixiang"]
    assert any(k == "direct" and w.startswith('"They have lost their minds') for k, w in xu)
    assert ("partial", '"misconduct"') in xu
    assert any(k == "indirect" and w.startswith("that Canada") for k, w in by_speaker["Xu Guixiang"])
    assert any(k == "indirect" and w.startswith("that reports of arbitrary detention")
               for k, w in by_speaker["Michelle Bachelet"])
    assert any(k == "indirect" and w.startswith("that the UN is in negotiations") for k, w in by_speaker["Antonio Guterres"])
