"""The bundled catalogue's purposes, marked for translation (the catalogue itself comes from government
in English; the screens show each purpose through ``_``, and a purpose not listed here stays in English).

Service names are translated too: departments have official names in Welsh (Cyllid a Thollau EF, GIG),
and the descriptive names ("Local council (council tax, electoral register)") are words like any other.
A service not listed here is shown as government gives it.
"""

from exchange.vocabulary import N_

PURPOSES = (
    N_("Income tax and National Insurance"),
    N_("Benefits and State Pension"),
    N_("Driving licences and vehicle tax"),
    N_("Passports"),
    N_("Council tax and the electoral register"),
    N_("Your GP practice and NHS records"),
)

NAMES = (
    N_("HM Revenue & Customs"),
    N_("Department for Work and Pensions"),
    N_("Driver and Vehicle Licensing Agency"),
    N_("HM Passport Office"),
    N_("Local council (council tax, electoral register)"),
    N_("NHS GP registration"),
)
