"""Actor codes, titles and coreference over the real model: (text, phrase, expected) tables.

`expected` is a CAMEO code (the phrase's entity code, or the nominal coder's code for a noun phrase that is
not an entity), None (not a political actor), or "=Name" (the phrase is a pronoun or nominal that must
resolve to the entity called Name). "phrase@2" means the phrase's second occurrence.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tacitus.config import Config
from tacitus.extract import actors, entities
from tacitus.extract.actors import make_actor
from tests.conftest import shared_path

XF = pytest.mark.xfail


@pytest.fixture(scope="session")
def lexicon():
    return actors.load(Config())


@pytest.fixture(scope="session")
def code(nlp, lexicon):
    """code(text, phrase, date) -> what the actors extractor says about the phrase."""

    def run(text: str, phrase: str, date: str = "2021-03-29"):
        doc = nlp(text)
        index = actors.actors(doc, entities=entities.entities(doc), lexicon=lexicon,
                              date=dt.date.fromisoformat(date))
        phrase, _, nth = phrase.partition("@")
        start = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(phrase)}(?!\w)", text)][int(nth or 1) - 1]
        span = doc.char_span(start, start + len(phrase), alignment_mode="expand")
        entity = index.entity_for_span(span)
        head_entity = index.entity_for_token(span.root)
        # a phrase headed by an entity takes its code; any other phrase ("Chinese officials") is coded as a
        # whole by the nominal coder rather than by the entity of one of its words ("Chinese" -> CHN)
        if head_entity is not None and head_entity.actor is not None:
            return index, entity, head_entity.actor
        actor = index.nominal_actor(span) if index.nominal_actor else None
        return index, entity, actor or (entity.actor if entity else None)

    return run


CASES = [
    # --- countries, names and abbreviations
    ("China said it would respond to the sanctions.", "China", "CHN"),
    ("Canada expelled two diplomats on Tuesday.", "Canada", "CAN"),
    ("The U.S. imposed new tariffs on steel.", "U.S.", "USA"),
    ("Britain and France called for a ceasefire.", "Britain", "GBR"),
    ("Britain and France called for a ceasefire.", "France", "FRA"),
    ("The UK said it would send more aid.", "UK", "GBR"),
    ("Russia denied the accusations.", "Russia", "RUS"),
    ("Germany will host the summit next year.", "Germany", "DEU"),
    ("Japan and South Korea agreed to resume talks.", "South Korea", "KOR"),
    ("North Korea fired two missiles into the sea.", "North Korea", "PRK"),
    ("Iran rejected the proposal on Sunday.", "Iran", "IRN"),
    ("Israel struck targets in Syria overnight.", "Syria", "SYR"),
    ("India and Pakistan traded fire along the border.", "Pakistan", "PAK"),
    ("Brazil's economy grew faster than expected.", "Brazil", "BRA"),
    ("Mexico sent troops to the border.", "Mexico", "MEX"),
    ("Turkey summoned the Swedish ambassador.", "Turkey", "TUR"),
    ("Myanmar's military seized power in a coup.", "Myanmar", "MMR"),
    ("Ivory Coast held elections in October.", "Ivory Coast", "CIV"),
    ("Australia recalled its ambassador from Beijing.", "Australia", "AUS"),
    ("The United States of America signed the treaty.", "United States of America", "USA"),
    ("Ukraine asked for more air defence systems.", "Ukraine", "UKR"),
    ("Saudi Arabia cut oil output again.", "Saudi Arabia", "SAU"),
    ("Nigeria closed its land borders.", "Nigeria", "NGA"),
    ("Venezuela expelled the ambassador.", "Venezuela", "VEN"),
    ("Egypt brokered the truce.", "Egypt", "EGY"),
    ("Taiwan reported Chinese aircraft near the island.", "Taiwan", "TWN"),
    # --- capitals and seats of power as metonyms
    ("The UN is in negotiations with Beijing over a visit.", "Beijing", "CHNGOV"),
    ("Ottawa announced new sanctions on Monday.", "Ottawa", "CANGOV"),
    ("Washington warned Moscow against any escalation.", "Washington", "USAGOV"),
    ("Washington warned Moscow against any escalation.", "Moscow", "RUSGOV"),
    ("The Kremlin dismissed the report as fake news.", "Kremlin", "RUSGOV"),
    ("The White House said the president would veto the bill.", "White House", "USAGOV"),
    ("Downing Street declined to comment.", "Downing Street", "GBRGOV"),
    ("Tokyo lodged a protest with Seoul.", "Tokyo", "JPNGOV"),
    ("Tokyo lodged a protest with Seoul.", "Seoul", "KORGOV"),
    ("Tehran said the talks had failed.", "Tehran", "IRNGOV"),
    ("Paris and Berlin pushed for a joint response.", "Berlin", "DEUGOV"),
    ("New Delhi rejected the criticism.", "New Delhi", "INDGOV"),
    ("The Pentagon said the drills would continue.", "Pentagon", "USAGOV"),
    ("Kyiv said the city was shelled overnight.", "Kyiv", "UKRGOV"),
    ("Ankara accused Athens of provocations.", "Athens", "GRCGOV"),
    ("The Elysee said Macron would travel to Algiers.", "Elysee", "FRAGOV"),
    ("Pyongyang called the drills a rehearsal for invasion.", "Pyongyang", "PRKGOV"),
    ("Canberra has asked for an independent inquiry.", "Canberra", "AUSGOV"),
    # --- regions and cities belong to their country
    ("Activists say a million people are held in camps in Xinjiang.", "Xinjiang", "CHN"),
    ("Ontario reported 2,000 new cases on Monday.", "Ontario", "CAN"),
    ("Fighting continued in Donetsk on Friday.", "Donetsk", "UKR"),
    ("Floods hit the state of Kerala.", "Kerala", "IND"),
    ("Protests spread across Tibet.", "Tibet", "CHN"),
    ("California sued the federal government.", "California", "USA"),
    ("Voters in Scotland went to the polls.", "Scotland", "GBR"),
    ("Gunmen attacked a village in Borno.", "Borno", "NGA"),
    ("Quebec passed a new language law.", "Quebec", "CAN"),
    ("Police in Shanghai detained a reporter.", "Shanghai", "CHN"),
    ("Troops were sent to Chechnya.", "Chechnya", "RUS"),
    ("Rockets were fired from Gaza into Israel.", "Gaza", "PSE"),
    # --- international organisations and known groups
    ("The United Nations called for restraint.", "United Nations", "IGOUNO"),
    ("The UN Security Council met in an emergency session.", "UN Security Council", "IGOUNO"),
    ("The European Union imposed sanctions on four officials.", "European Union", "IGOEEC"),
    ("NATO will hold exercises in the Baltic.", "NATO", "IGONAT"),
    ("The World Health Organization declared a pandemic.", "World Health Organization", "IGOWHO"),
    ("The WHO said the virus was spreading.", "WHO", "IGOWHO"),
    ("The IAEA said inspectors had been denied access.", "IAEA", "IGOIAE"),
    ("The International Criminal Court issued an arrest warrant.", "International Criminal Court", "IGOICC"),
    ("The IMF cut its growth forecast.", "IMF", "IGOIMF"),
    ("The World Bank approved a $500 million loan.", "World Bank", "IGOWBK"),
    ("OPEC agreed to cut output.", "OPEC", "IGOOPC"),
    ("The African Union suspended Mali.", "African Union", "IGOAFR"),
    ("ASEAN leaders met in Jakarta.", "ASEAN", "IGOASN"),
    ("UNICEF said children were dying of hunger.", "UNICEF", "IGOUNOKID"),
    ("The UNHCR said thousands had fled.", "UNHCR", "IGOUNOHCR"),
    ("Hamas fired rockets at Tel Aviv.", "Hamas", "PSEHMS"),
    ("Hezbollah warned Israel against an invasion.", "Hezbollah", "LBNHEZ"),
    ("Islamic State claimed the attack.", "Islamic State", "IMGMOSISI"),
    ("Al Qaeda's branch in Yemen claimed the bombing.", "Al Qaeda", "IMGMOSALQ"),
    ("The Houthis attacked a ship in the Red Sea.", "Houthis", "YEMREBHOU"),
    ("Boko Haram abducted dozens of girls.", "Boko Haram", "NGAREBBOK"),
    ("The G7 agreed on a price cap.", "G7", "IGOGOS"),
    # --- NGOs and media
    ("Amnesty International called the trial a sham.", "Amnesty International", "NGOAMN"),
    ("Human Rights Watch documented dozens of abuses.", "Human Rights Watch", "NGOHRW"),
    ("The Red Cross delivered aid to the city.", "Red Cross", "NGOIRC"),
    ("Doctors Without Borders said its hospital was hit.", "Doctors Without Borders", "NGOMSF"),
    ("Greenpeace activists boarded the rig.", "Greenpeace", "NGOGRP"),
    ("He said in an interview with the BBC that talks had failed.", "BBC", "GBRMED"),
    ("The official told Reuters the deal was close.", "Reuters", "GBRMED"),
    ("He said in response to a question from Agence France-Presse.", "Agence France-Presse", "FRAMED"),
    ("Xinhua reported the meeting on Friday.", "Xinhua", "CHNMED"),
    ("The Associated Press obtained a copy of the memo.", "Associated Press", "USAMED"),
    ("The CBC reported the story first.", "CBC", "CANMED"),
    ("Al Jazeera aired the footage.", "Al Jazeera", "QATMED"),
    ("TASS quoted the minister as saying talks would resume.", "TASS", "RUSMED"),
    ("KCNA said the test was a success.", "KCNA", "PRKMED"),
    ("The New York Times reported the plan.", "New York Times", "USAMED"),
    # --- demonyms and role nouns (noun phrases that are not entities)
    ("The countries imposed sanctions on four Chinese officials.", "Chinese officials", "CHNGOV"),
    ("Canadian MPs voted to label the abuses a genocide.", "Canadian MPs", "CANLEG"),
    ("Russian troops crossed the border at dawn.", "Russian troops", "RUSMIL"),
    ("Israeli soldiers shot a Palestinian teenager.", "Israeli soldiers", "ISRMIL"),
    ("Iranian state media said the drills were a success.", "Iranian state media", "IRNMED"),
    ("French police arrested three suspects.", "French police", "FRACOP"),
    ("American lawmakers demanded an inquiry.", "American lawmakers", "USALEG"),
    ("Afghan rebels seized the town.", "Afghan rebels", "AFGREB"),
    ("Egyptian judges postponed the trial.", "Egyptian judges", "EGYJUD"),
    ("British diplomats were summoned.", "British diplomats", "GBRGOV"),
    ("German companies warned of job losses.", "German companies", "DEUBUS"),
    ("Syrian government forces shelled the town.", "Syrian government forces", "SYRMIL"),
    ("A few Western countries were using the visit to put pressure on China.", "Western countries", "WST"),
    ("Police fired tear gas at protesters in Hong Kong.", "Police", "HKGCOP"),
    ("Police fired tear gas at protesters in Hong Kong.", "protesters", "HKGOPP"),
    ("China's foreign ministry said the claims were lies.", "China's foreign ministry", "CHNGOV"),
    ("The Chinese government would welcome a visit.", "Chinese government", "CHNGOV"),
    ("The Canadian government has been reluctant to use the term.", "Canadian government", "CANGOV"),
    ("The Iranian foreign ministry summoned the envoy.", "Iranian foreign ministry", "IRNGOV"),
    ("Ukrainian forces retook the village.", "Ukrainian forces", "UKRMIL"),
    ("Pakistani Taliban fighters attacked a checkpoint.", "fighters", "PAKREB"),
    ("Indian opposition parties walked out of parliament.", "Indian opposition parties", "INDOPP"),
    ("Turkish journalists were detained in Istanbul.", "Turkish journalists", "TURMED"),
    ("UN officials were denied access to the region.", "UN officials", "IGOUNO"),
    ("Japanese investors sold bonds.", "Japanese investors", "JPNBUS"),
    ("Nigerian doctors went on strike.", "Nigerian doctors", "NGAHLH"),
    ("Chinese students protested outside the consulate.", "Chinese students", "CHNEDU"),
    ("Saudi clerics condemned the attack.", "Saudi clerics", "SAUREL"),
    ("Former Brazilian officials were charged.", "Former Brazilian officials", "BRAELI"),
    # --- titles of people: pre-nominal, appositive, relative clause, possessive
    ("UN Secretary General Antonio Guterres told reporters the talks were serious.", "Antonio Guterres", "IGOUNO"),
    ("Zhao Lijian, a spokesperson for China's Foreign Ministry, told reporters the visit was welcome.",
     "Zhao Lijian", "CHNGOV"),
    ("China sanctioned Ontario Conservative MP Michael Chong on Saturday.", "Michael Chong", "CANLEG"),
    ("Prime Minister Justin Trudeau abstained from the vote in Ottawa.", "Justin Trudeau", "CANGOV"),
    ("She spoke to CBC News chief political correspondent Rosemary Barton.", "Rosemary Barton", "CANMED"),
    ("Xu Guixiang, a spokesman for the regional government of Xinjiang, said on Monday the claims were false.",
     "Xu Guixiang", "CHNGOV"),
    ("Russian Foreign Minister Sergei Ivanov met his Chinese counterpart.", "Sergei Ivanov", "RUSGOV"),
    ("French President Jean Dupont arrived in Berlin on Monday.", "Jean Dupont", "FRAGOV"),
    ("Canadian Senator Mary Coyle called for an inquiry.", "Mary Coyle", "CANLEG"),
    ("Kenyan police chief Joseph Kamau said three people died.", "Joseph Kamau", "KENCOP"),
    ("General Ahmed Saleh, the Sudanese army commander, vowed to fight on.", "Ahmed Saleh", "SDNMIL"),
    ("Maria Lopez, a judge on Mexico's Supreme Court, wrote the ruling.", "Maria Lopez", "MEXJUD"),
    ("Peter Novak, a Czech journalist, was detained at the border.", "Peter Novak", "CZEMED"),
    ("Ali Rezaei, an Iranian lawmaker, said the deal was dead.", "Ali Rezaei", "IRNLEG"),
    ("Tom Becker, who is also the German economy minister, opened the fair.", "Tom Becker", "DEUGOV"),
    ("Jan Kowalski, who is a Polish opposition leader, was arrested.", "Jan Kowalski", "POLOPP"),
    ("Nigeria's information minister Lai Mohammed denied the report.", "Lai Mohammed", "NGAGOV"),
    ("Ukrainian army spokesman Oleksiy Petrenko said the attack was repelled.", "Oleksiy Petrenko", "UKRMIL"),
    ("WHO Director-General Tedros Adhanom Ghebreyesus urged vaccinations.", "Tedros Adhanom Ghebreyesus",
     "IGOWHO"),
    ("NATO chief Jens Stoltenberg said the alliance was united.", "Jens Stoltenberg", "IGONAT"),
    ("Indian Prime Minister Narendra Modi visited Washington.", "Narendra Modi", "INDGOV"),
    ("Former French President Nicolas Sarkozy was convicted.", "Nicolas Sarkozy", "FRAELI"),
    ("Ahmed Hassan, an Egyptian human rights activist, was released.", "Ahmed Hassan", "EGYOPP"),
    ("Pakistani Interior Minister Rana Sanaullah said the suspects were arrested.", "Rana Sanaullah", "PAKGOV"),
    ("Brazil's Health Minister Marcelo Queiroga resigned.", "Marcelo Queiroga", "BRAGOV"),
    ("Amnesty International researcher Anna Petrova said the trial was unfair.", "Anna Petrova", "NGOAMN"),
    ("Reuters correspondent John Smith was expelled from the country.", "John Smith", "GBRMED"),
    ("Chinese ambassador to Canada Cong Peiwu was summoned.", "Cong Peiwu", "CHNGOV"),
    ("Israeli Defence Minister Benny Gantz ordered the strike.", "Benny Gantz", "ISRGOV"),
    ("US Senator Marco Rubio introduced the bill.", "Marco Rubio", "USALEG"),
    ("John Smith, a farmer from Iowa, said prices were too low.", "John Smith", "USAAGR"),
    ("A spokesman for the Iraqi interior ministry, Saad Maan, said 12 people were killed.", "Saad Maan", "IRQGOV"),
    ("Olena Kovalenko is a Ukrainian member of parliament from Lviv.", "Olena Kovalenko", "UKRLEG"),
    ("Pedro Alves was the Brazilian ambassador to Angola until 2019.", "Pedro Alves", "BRAGOV"),
    # --- people with no political role, and non-actors
    ("Singer Taylor Swift released a new album on Friday.", "Taylor Swift", None),
    ("Goalkeeper David Brown saved two penalties.", "David Brown", None),
    ("The novel by Margaret Atwood won the prize.", "Margaret Atwood", None),
    ("The company reported revenue of $3 billion in the quarter.", "quarter", None),
    ("Rain is expected across the region on Monday.", "Rain", None),
    # --- coreference: pronouns
    (("Zhao Lijian, a spokesperson for China's Foreign Ministry, spoke on Monday. "
     "\"We oppose the use of this matter,\" he said."), "he", "=Zhao Lijian"),
    ("Xu Guixiang, a spokesman for the regional government, spoke on Monday. He described the allegations as lies.",
     "He", "=Xu Guixiang"),
    ("Antonio Guterres spoke to host Rosemary Barton on Sunday. She asked whether the UN would visit.", "She",
     "=Rosemary Barton"),
    ("Antonio Guterres spoke to host Rosemary Barton on Sunday. He said the talks were serious.", "He",
     "=Antonio Guterres"),
    ("While Zhao Lijian did not name the countries he was referring to, his remarks were clear.", "his",
     "=Zhao Lijian"),
    ("Justin Trudeau met Angela Merkel in Berlin. She praised his leadership.", "She", "=Angela Merkel"),
    ("Justin Trudeau met Angela Merkel in Berlin. She praised his leadership.", "his", "=Justin Trudeau"),
    ("Mr. Ahmed Hassan was released on Friday. His lawyer said he would appeal.", "he", "=Ahmed Hassan"),
    ("Police spokesman John Kamau said two men were arrested. He said the investigation was continuing.", "He",
     "=John Kamau"),
    ("Minister Maria Lopez visited the site on Monday. Later that day, she met local officials.", "she",
     "=Maria Lopez"),
    ("Canada expelled two Chinese diplomats. They had been accused of spying.", "They", None),
    ("President Joe Biden signed the bill. He called it historic.", "He", "=Joe Biden"),
    (("Zhao Lijian told reporters the visit was welcome. Zhao said the UN and China were in talks. "
     "He said an investigation would not be accepted."), "He", "=Zhao Lijian"),
    # --- coreference: definite nominals
    # --- a second batch: wire-style sentences with mixed signals
    ("Beijing retaliated on Saturday by sanctioning two British lawmakers.", "British lawmakers", "GBRLEG"),
    ("The Kremlin's spokesman Dmitry Peskov said Moscow would respond.", "Dmitry Peskov", "RUSGOV"),
    ("Hong Kong police arrested 53 pro-democracy activists on Wednesday.", "Hong Kong police", "HKGCOP"),
    ("Hong Kong police arrested 53 pro-democracy activists on Wednesday.", "pro-democracy activists", "HKGOPP"),
    ("Thousands of Belarusian protesters marched in Minsk on Sunday.", "Belarusian protesters", "BLROPP"),
    ("Myanmar's junta extended the state of emergency.", "Myanmar's junta", "MMRGOV"),
    ("The Iraqi army said it had retaken Mosul.", "Iraqi army", "IRQMIL"),
    ("Venezuelan opposition leader Juan Guaido called for new protests.", "Juan Guaido", "VENOPP"),
    ("Sudan's Rapid Support Forces shelled Khartoum.", "Rapid Support Forces", "SDNMIL"),
    ("A Pentagon spokesman said the strike killed two militants.", "Pentagon spokesman", "USAGOV"),
    ("Syrian state television said the blast killed 12 people.", "Syrian state television", "SYRMED"),
    ("Lebanese Prime Minister Najib Mikati called for calm.", "Najib Mikati", "LBNGOV"),
    ("Colombian President Ivan Duque met FARC dissidents.", "Ivan Duque", "COLGOV"),
    ("Ethiopian federal forces entered Mekelle.", "Ethiopian federal forces", "ETHMIL"),
    ("Thai police used water cannon against student protesters in Bangkok.", "Thai police", "THACOP"),
    ("South African President Cyril Ramaphosa addressed the nation.", "Cyril Ramaphosa", "ZAFGOV"),
    ("Polish judges protested the reforms outside the Supreme Court in Warsaw.", "Polish judges", "POLJUD"),
    ("Kenya's High Court suspended the plan.", "Kenya's High Court", "KENJUD"),
    ("The Philippine Coast Guard said a Chinese vessel blocked its ship.", "Philippine Coast Guard", "PHLMIL"),
    ("Greek coastguard officials rescued 40 migrants.", "Greek coastguard officials", "GRCGOV"),
    ("The Saudi-led coalition struck Houthi positions near Sanaa.", "Saudi-led coalition", "SAUMIL"),
    ("Opposition politician Alexei Navalny was jailed.", "Alexei Navalny", "RUSOPP"),
    ("Maria Kolesnikova, a Belarusian opposition figure, was sentenced to 11 years.", "Maria Kolesnikova",
     "BLROPP"),
    ("Chen Wei, a lawyer for the activists, said they would appeal.", "Chen Wei", None),
    ("Fatima Bello, who is a Nigerian senator, rejected the bill.", "Fatima Bello", "NGALEG"),
    ("Rights group Amnesty International urged Egypt to free the journalists.", "Amnesty International", "NGOAMN"),
    ("Iranian Foreign Minister Hossein Amir-Abdollahian met his Omani counterpart.", "Hossein Amir-Abdollahian",
     "IRNGOV"),
    ("Japan's Prime Minister Fumio Kishida dissolved the lower house.", "Fumio Kishida", "JPNGOV"),
    ("The lower house of Japan's parliament passed the budget.", "lower house", "JPNLEG"),
    ("EU foreign policy chief Josep Borrell said the bloc would act.", "Josep Borrell", "IGOEEC"),
    ("Mexican drug cartels smuggled the fentanyl into Arizona.", "Mexican drug cartels", "MEXCRM"),
    ("Rescue workers searched the rubble in southern Turkey.", "Rescue workers", "TURLAB"),
    ("Moroccan authorities arrested six suspects.", "Moroccan authorities", "MARGOV"),
    ("Palestinian militants fired rockets from Gaza.", "Palestinian militants", "PSEREB"),
    ("The Taiwanese military said 20 Chinese jets entered its air defence zone.", "Taiwanese military",
     "TWNMIL"),
    ("Peruvian Congress voted to remove the president.", "Peruvian Congress", "PERLEG"),
    ("Argentina's central bank raised interest rates.", "Argentina's central bank", "ARGGOV"),
    ("Apple Inc said iPhone sales rose in China.", "Apple Inc", "USABUS"),
    # --- companies unknown to the lexicon: a business, its country from its own name only, never from a
    # country named near it; a known company keeps its home country
    ("Kestrel Widgets Ltd said it won an order from the Brazilian navy.", "Kestrel Widgets Ltd", "BUS"),
    ("London's Pemberly Commodities Limited was sold to an American bank.", "Pemberly Commodities Limited",
     "GBRBUS"),
    ("Fenwick Marine Plc said its sales in Canada fell.", "Fenwick Marine Plc", "GBRBUS"),
    ("Westinghouse Electric Corp said it would build a power plant in Taiwan.", "Westinghouse Electric Corp",
     "USABUS"),
    # --- a country named before a state body known by its bare (usually American) name owns it
    ("The Danish Agriculture Department banned imports of the seed.", "Danish Agriculture Department", "DNKGOV"),
    ("Japan's Export-Import Bank agreed to lend 200 mln dlrs to Mexico.", "Export-Import Bank", "JPNGOV"),
    ("New Zealand's money supply grew two pct in May. The Reserve Bank said lending to households slowed.",
     "Reserve Bank", "NZLGOV"),
    # --- a union's spokesman speaks for labour; a committee of creditor banks is business, not a legislature
    ("A union spokesman said the strike at the Norwegian shipyard would go on.", "A union spokesman", "NORLAB"),
    ("Peru's creditor banks' steering committee turned down the offer.",
     "Peru's creditor banks' steering committee", "PERBUS"),
    # --- a city named with the state it is in is not the capital of the same name
    ("Halvard Systems Inc will build a plant in San Jose, California.", "San Jose", "USA"),
    # --- money is not a country; a country an action is aimed at does not own the bare role that acts
    ("The Swiss franc fell against the dollar in thin trading.", "The Swiss franc", None),
    (("Taiwan's trade surplus widened in March. The central bank said it would keep buying dollars from the "
      "United States."), "The central bank", "TWNGOV"),
    ("President Emmanuel Macron told French television the pension reform was needed. He said it would pass.",
     "He", "=Emmanuel Macron"),
    ("Health Minister Jane Philpott said the plan would save money. The minister said talks would continue.",
     "The minister", "=Jane Philpott"),
    ("Kim Yo Jong, the sister of North Korea's leader, warned Seoul. She said the South would pay.", "She",
     "=Kim Yo Jong"),
    ("Security Council members failed to agree. They will meet again on Friday.", "They", None),
    ("NATO said it would send more troops. It was responding to the build-up.", "It", None),
    ("Indian Army chief General Manoj Pande visited Ladakh.", "Manoj Pande", "INDMIL"),
    ("Tanzanian opposition leader Tundu Lissu returned from exile.", "Tundu Lissu", "TZAOPP"),
    (("Zhao Lijian, a spokesperson for China's Foreign Ministry, spoke on Monday. The spokesperson said the "
     "sanctions were illegal."), "The spokesperson", "=Zhao Lijian"),
    ("Ontario Conservative MP Michael Chong was sanctioned. The MP said he would not be intimidated.",
     "The MP", "=Michael Chong"),
    ("The Foreign Ministry of China issued a statement. The ministry said it opposed the move.", "The ministry",
     "=Foreign Ministry of China"),
    ("Defence Minister Ali Rezaei spoke on Sunday. The minister said the drills were defensive.", "The minister",
     "=Ali Rezaei"),
    # --- audit of 1987 wire copy: roles, bodies and companies (own sentences)
    ("U.S. Trade Representative Carla Mendes said the talks had stalled.", "Carla Mendes", "USAGOV"),
    ("Commerce Secretary Tom Walsh said U.S. exports rose in March.", "Tom Walsh", "USAGOV"),
    ("Energy Secretary Paul Grant predicted higher U.S. oil prices.", "Paul Grant", "USAGOV"),
    ("U.S. House Budget Committee Chairman Mark Olson said a tax rise was likely.", "Mark Olson", "USALEG"),
    ("Retired admiral Tom Baxter, chairman of the U.S. Joint Chiefs of Staff, warned Iran.", "Tom Baxter",
     "USAMIL"),
    ("Lin Mei, deputy director of Taiwan's finance ministry, announced the tariff cuts.", "Lin Mei", "TWNGOV"),
    ("Robert Kline, former chairman of Ohio-based Acme Widgets Inc, joined the board.", "Robert Kline", "USABUS"),
    ("Royal Bank of Canada chairman Alan Moss said the banks were sound.", "Alan Moss", "CANBUS"),
    ("Sumitomo Bank said it would open a branch in New York.", "Sumitomo Bank", "JPNBUS"),
    ("GATT members agreed to start a new round of talks.", "GATT", "IGOWTO"),
    ("The Commodity Credit Corporation approved export credits for Iraq.", "Commodity Credit Corporation",
     "USAGOV"),
    ("West Germany's Federal Statistics Office said prices fell.", "Federal Statistics Office", "DEUGOV"),
    ("The bonds will be listed in London and pay interest twice a year.", "London", "GBR"),
    ("The dollar rose in Tokyo after the talks in Washington ended.", "Washington", "USA"),
    ("Nickel prices fell on the London Metal Exchange on Monday.", "London Metal Exchange", "GBR"),
    ("The Tokyo Stock Exchange will open on Saturdays.", "Tokyo Stock Exchange", "JPN"),
    (("The United States halted new defence contracts with the firm. Deputy Assistant Defense Secretary "
      "Mark Hill told Reuters the freeze would stay."), "Mark Hill", "USAGOV"),
    ("Gary Lund, together with the Bank of England, urged the banks to lend.", "Gary Lund", None),
    (("Ohio-based Acme Widgets Inc said its profit rose 12 pct. John Doe, president, said sales in the U.S. "
      "were strong."), "John Doe", "USABUS"),
    ("North American car output fell 5 pct in May.", "North American", "NMR"),
    # "the National ..." is not the newspaper The National (AREMED), and says nothing of the country
    ("French consumer prices rose 0.3 pct in March, the National Statistics Institute said.",
     "National Statistics Institute", "FRAGOV"),
]

XFAIL: dict[tuple[str, str], str] = {
    ("Indian Army chief General Manoj Pande visited Ladakh.", "Manoj Pande"):
        "the model tags no PERSON here (it takes Ladakh for one), so there is no entity to title",
}


def _param(case):
    text, phrase, expected = case
    marks = [XF(strict=True, reason=XFAIL[text, phrase])] if (text, phrase) in XFAIL else []
    return pytest.param(text, phrase, expected, marks=marks)


@pytest.mark.parametrize("text, phrase, expected", [_param(c) for c in CASES])
def test_actor_codes_and_coreference(code, text, phrase, expected):
    _index, entity, actor = code(text, phrase)
    if isinstance(expected, str) and expected.startswith("="):
        assert entity is not None and entity.name == expected[1:]
    elif expected is None and phrase[:1].isupper() and phrase.lower() in ("he", "she", "they"):
        assert entity is None
    else:
        assert (actor.code if actor else None) == expected


@pytest.mark.parametrize("text, phrase, date, expected", [
    ("Donald Trump said the deal was the best ever.", "Donald Trump", "2019-05-01", "USAGOV"),
    ("Donald Trump said the deal was the best ever.", "Donald Trump", "2023-05-01", "USA"),  # out of office
    ("Donald Trump said the deal was the best ever.", "Donald Trump", "2025-05-01", "USAGOV"),
    ("Former President Donald Trump criticised the deal.", "Donald Trump", "2023-05-01", "USAELI"),
    ("Justin Trudeau told reporters in Ottawa the plan would work.", "Justin Trudeau", "2021-03-29", "CANGOV"),
    ("Stephen Harper told reporters in Ottawa the plan would work.", "Stephen Harper", "2010-03-29", "CANGOV"),
    ("Liberal Party of Canada members met in Ottawa.", "Liberal Party of Canada", "2010-06-01", "CANOPP"),
    ("Liberal Party of Canada members met in Ottawa.", "Liberal Party of Canada", "2019-06-01", "CANGOV"),
    ("The Taliban seized the district.", "Taliban", "2019-06-01", "AFGREBTAL"),
    ("The Taliban seized the district.", "Taliban", "2022-06-01", "AFGGOVTAL"),
    ("Michelle Bachelet said the camps must be inspected.", "Michelle Bachelet", "2020-06-01", "IGOUNOHCH"),
    ("Michelle Bachelet said the camps must be inspected.", "Michelle Bachelet", "2016-06-01", "CHLGOV"),
    # office holders of the 1980s, for archives of wire copy
    ("Yasuhiro Nakasone said he would raise the issue in Washington.", "Yasuhiro Nakasone", "1987-04-27", "JPNGOV"),
    ("Paul Volcker said the dollar had fallen far enough.", "Paul Volcker", "1986-11-10", "USAGOV"),
    ("Jacques Delors said the farm budget must be cut.", "Jacques Delors", "1988-02-01", "IGOEEC"),
    ("Mikhail Gorbachev said the reforms would continue.", "Mikhail Gorbachev", "1987-06-01", "USRGOV"),
    ("Karl Otto Poehl said rates would stay unchanged.", "Karl Otto Poehl", "1987-03-05", "DEUGOV"),
])
def test_date_aware_codes(code, text, phrase, date, expected):
    _, _, actor = code(text, phrase, date)
    assert (actor.code if actor else None) == expected


def test_user_dictionary_overrides_builtin(nlp, tmp_path):
    path = tmp_path / "mine.tsv"
    path.write_text("Acme Widgets\tUSABUS\nAntonio Guterres\tPRTGOV\t1995-10-28\t2002-04-06\n", encoding="utf-8")
    lexicon = actors.load(Config(dictionaries=[path]))
    doc = nlp("Acme Widgets said Antonio Guterres would visit.")
    index = actors.actors(doc, entities=entities.entities(doc), lexicon=lexicon, date=dt.date(2000, 1, 1))
    codes = {e.name: e.actor.code if e.actor else None for e in index.entities}
    assert codes["Acme Widgets"] == "USABUS"
    assert codes["Antonio Guterres"] == "PRTGOV"


def test_does_not_mutate_input(nlp, lexicon):
    doc = nlp("Zhao Lijian, a spokesperson for China's Foreign Ministry, spoke. He said no.")
    before = entities.entities(doc)
    snapshot = [e.model_dump() for e in before.entities], dict(before.by_token)
    after = actors.actors(doc, entities=before, lexicon=lexicon, date=dt.date(2021, 3, 29))
    assert ([e.model_dump() for e in before.entities], before.by_token) == snapshot
    assert after is not before and len(after.by_token) > len(before.by_token)


def test_make_actor_splits_codes(lexicon):
    assert make_actor("CHNGOV", lexicon.countries).model_dump() == {
        "code": "CHNGOV", "country": "CHN", "sectors": ["GOV"]}
    assert make_actor("IGOUNOHCH", lexicon.countries).model_dump() == {
        "code": "IGOUNOHCH", "country": None, "sectors": ["IGO", "UNO", "HCH"]}
    assert make_actor("---", lexicon.countries) is None


def test_builtin_lexicon_size_and_consistency():
    dictionary, countries, genders = actors.load_builtin()
    assert len(dictionary.actors) > 1500 and len(dictionary.agents) > 400 and len(countries) > 200 and len(genders) > 200
    conflicts = [key for table in (dictionary.actors, dictionary.agents) for key, codes in table.items()
                 if len({c.code for c in codes if not c.restricted}) > 1]
    assert conflicts == []


def test_xinjiang_example(nlp, lexicon):
    raw = shared_path("examples", "xinjiang-un-visit-2021-03-29.txt").read_text(encoding="utf-8")
    text = raw.split("\n", 1)[1]
    doc = nlp(text)
    index = actors.actors(doc, entities=entities.entities(doc), lexicon=lexicon, date=dt.date(2021, 3, 29))
    codes = {e.name: e.actor.code if e.actor else None for e in index.entities}
    assert codes["Zhao Lijian"] == "CHNGOV" and codes["Xu Guixiang"] == "CHNGOV"
    assert codes["Antonio Guterres"].startswith("IGOUNO") and codes["Michelle Bachelet"].startswith("IGOUNO")
    assert codes["Michael Chong"] == "CANLEG" and codes["Justin Trudeau"] == "CANGOV"
    assert codes["Rosemary Barton"] == "CANMED" and codes["Beijing"] == "CHNGOV"
    zhao = next(e for e in index.entities if e.name == "Zhao Lijian")
    start, end = text.index("At a news briefing in Beijing"), text.index("WATCH |")
    pronouns = [t for t in doc if start <= t.idx < end and t.lower_ in ("he", "his", "him")]
    assert len(pronouns) == 3 and all(index.entity_for_token(t) is zhao for t in pronouns)
