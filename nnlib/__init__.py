"""nnlib: the small NumPy library behind the course "How neural networks learn".

Each module holds one idea and names the chapter that explains it:

========================  =====================================================  =======
module                    holds                                                  chapter
========================  =====================================================  =======
``nnlib.data``            toy data sets, MNIST, one-hot, mini-batches            01
``nnlib.activations``     step, sigmoid, tanh, ReLU, softmax and derivatives     02, 04
``nnlib.perceptron``      the perceptron and its learning rule                   02
``nnlib.losses``          MSE, binary and softmax cross-entropy with gradients   05, 06
``nnlib.surfaces``        1-D and 2-D test functions with exact gradients        06
``nnlib.optim``           GD trajectories, momentum, schedules, ``SGD``          06, 08
``nnlib.plot``            the course's shared figures                            02
``nnlib.validate``        clear messages for bad input, used everywhere          all
``nnlib.explorers``       interactive explorers with book fallbacks              01–08
``nnlib.checks``          exercise checkers with diagnostic feedback             02–08
``nnlib.selfcheck``       ``python -m nnlib.selfcheck``: is a machine ready?     teachers
========================  =====================================================  =======
"""

__version__ = "0.1.0"
