"""What is made from the built site and the bank, each by a command of its own.

Offline zips, LMS exports (Moodle XML, GIFT, QTI), SCORM, the published learners' and trainers' sites.
"""
