"""The local child safeguarding practice review's lifecycle, as plain records: what is done, what is next.

:mod:`caseforms.lcspr.imr` plans the agencies' Independent Management Review requests (written by
``caseforms.io.imr_pack``); :mod:`caseforms.lcspr.lifecycle` lists the review's steps and where each stands;
:mod:`caseforms.lcspr.recommendations` turns the signed-off recommendations into tracker rows.
"""
