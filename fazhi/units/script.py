"""Traditional script: recognized in a report, converted to simplified for the model."""
import re

# common characters written differently in traditional and simplified script
_TRAD = re.compile(
    "[區實進執設務規項會審議辦對責機決強調關監導體領業學爲為動習組門問員單時職專題點權訴現報嚴應協縣"
    "環國織過檢將評處級資經傳營貫徹網衆眾顧糾標訪況負統與認計場內堅優論結見創紛濟記圍積識聯舉續類訓約產條爭預運護]"
)
_SIMP = re.compile(
    "[区实进执设务规项会审议办对责机决强调关监导体领业学为动习组门问员单时职专题点权诉现报严应协县"
    "环国织过检将评处级资经传营贯彻网众顾纠标访况负统与认计场内坚优论结见创纷济记围积识联举续类训约产条争预运护]"
)


def is_traditional(text: str) -> bool:
    """True when the text is written in traditional characters."""
    trad = len(_TRAD.findall(text))
    return trad >= 3 and trad > len(_SIMP.findall(text))


_T2S = None


def to_simplified(text: str) -> str:
    """The text in simplified characters (OpenCC's t2s table)."""
    global _T2S
    if _T2S is None:
        from opencc import OpenCC

        _T2S = OpenCC("t2s")
    return _T2S.convert(text)
