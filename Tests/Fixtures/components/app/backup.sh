#!/bin/sh
# Nightly backup
