from __future__ import annotations

import pytest

from kkr_desktop.core.errors import FileFormatError
from kkr_desktop.core.names import NameIndex
from kkr_desktop.formats.dst import parse_population, read_population

EXPECTED_2020K1 = {773: 20247, 787: 43423, 810: 36304, 813: 59654, 820: 36727, 825: 1786,
                   840: 30113, 846: 41800, 849: 38324, 851: 217075, 860: 64483}


@pytest.fixture(scope="module")
def kommuner():
    import csv
    from pathlib import Path

    path = Path(__file__).parents[2] / "resources" / "kommuner.csv"
    with open(path, encoding="utf-8") as fh:
        return {int(r["kommunekode"]): r["kommune"] for r in csv.DictReader(fh, delimiter=";")}


def parse(text, kommuner):
    return parse_population(text, "fil.csv", NameIndex(kommuner).find, set(kommuner))


def test_statbank_long_form_fixture(data_dir, kommuner):
    values = read_population(data_dir / "folk1a_nordjylland_2020K1.csv",
                             NameIndex(kommuner).find, set(kommuner))
    assert values == {(code, "2020K1"): v for code, v in EXPECTED_2020K1.items()}
    assert sum(values.values()) == 589_936  # Region Nordjylland's own total


def test_wide_download_windows_1252_with_codes_and_regions(tmp_path, kommuner):
    text = (
        '"Folketal den 1. i kvartalet efter område, køn, alder og tid"\r\n'
        ';;;"2020K1";"2020K2"\r\n'
        '"000 Hele landet";"I alt";"Alder i alt";5822763;5824857\r\n'
        '"081 Region Nordjylland";"I alt";"Alder i alt";589936;589755\r\n'
        '"851 Aalborg";"I alt";"Alder i alt";217075;217348\r\n'
        '"820 Vesthimmerlands Kommune";"I alt";"Alder i alt";36727;36699\r\n'
        '"825 Læsø";"Mænd";"Alder i alt";900;901\r\n'
        '"Kilde: Danmarks Statistik"\r\n')
    path = tmp_path / "FOLK1A.csv"
    path.write_bytes(text.encode("cp1252"))
    values = read_population(path, NameIndex(kommuner).find, set(kommuner))
    assert values == {(851, "2020K1"): 217075, (851, "2020K2"): 217348,
                      (820, "2020K1"): 36727, (820, "2020K2"): 36699}


def test_names_are_normalised(kommuner):
    text = "OMRÅDE;TID;INDHOLD\nVesthimmerland;2020K1;1\nVesthimmerlands Kommune;2020K2;2\n" \
           "vesthimmerlands;2020K3;3\nNordfyn;2020K1;4\nÅrhus;2020K1;5\n"
    values = parse(text, kommuner)
    assert values == {(820, "2020K1"): 1, (820, "2020K2"): 2, (820, "2020K3"): 3,
                      (480, "2020K1"): 4, (751, "2020K1"): 5}


def test_unknown_area_is_an_error_naming_it(kommuner):
    with pytest.raises(FileFormatError) as err:
        parse("OMRÅDE;TID;INDHOLD\nAalborg;2020K1;1\nAtlantis;2020K1;5\n", kommuner)
    assert "fil.csv, linje 3, kolonne «OMRÅDE»: Området «Atlantis» er ikke en kendt kommune" \
        in err.value.message


def test_same_kommune_twice_with_different_values_is_an_error(kommuner):
    with pytest.raises(FileFormatError, match="to forskellige folketal"):
        parse("OMRÅDE;TID;INDHOLD\nAalborg;2020K1;1\n851 Aalborg;2020K1;2\n", kommuner)
    # the same figure twice is harmless
    assert parse("OMRÅDE;TID;INDHOLD\nAalborg;2020K1;1\nAalborg;2020K1;1\n", kommuner) == {
        (851, "2020K1"): 1}


def test_not_a_folk1a_file(kommuner):
    with pytest.raises(FileFormatError, match="ligner ikke"):
        parse("a;b;c\n1;2;3\n", kommuner)


def test_bad_value_and_quarter(kommuner):
    with pytest.raises(FileFormatError) as err:
        parse("OMRÅDE;TID;INDHOLD\nAalborg;2020Q1;1\nThisted;2020K1;mange\n", kommuner)
    assert "linje 2, kolonne «TID»" in err.value.message
    assert "linje 3, kolonne «INDHOLD»: «mange» er ikke et folketal" in err.value.message


def test_every_reference_name_resolves_to_itself(kommuner):
    index = NameIndex(kommuner)
    for code, name in kommuner.items():
        assert index.find(name) == code
        assert index.find(f"{name} Kommune") == code
