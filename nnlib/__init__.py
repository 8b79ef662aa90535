"""nnlib: the small NumPy library behind the course "How neural networks learn".

Each module holds one idea and names the chapter that explains it:

========================  =====================================================  =======
module                    holds                                                  chapter
========================  =====================================================  =======
``nnlib.data``            toy data sets, MNIST, one-hot, mini-batches            01
``nnlib.drawing``         your own digit: strokes → a 28 × 28 MNIST-like image   08
``nnlib.network``         the untrained network as one function                  01
``nnlib.logistic``        logistic regression by mini-batch SGD and by GD        06
``nnlib.activations``     step, sigmoid, tanh, ReLU, softmax and derivatives     02, 04
``nnlib.perceptron``      the perceptron and its learning rule; one-vs-rest      02, 03
``nnlib.separability``    margins, radius, the convergence bound, toy runs       03
``nnlib.features``        feature maps that lift XOR out of the plane            03
``nnlib.approx``          sums of sigmoids; two-layer nets by hidden size        04
``nnlib.losses``          MSE, MAE, cross-entropies, sigmoid + MSE, gradients    05, 06
``nnlib.profiles``        the 2-vs-9 model's loss and accuracy along one weight  05
``nnlib.surfaces``        1-D and 2-D test functions with exact gradients        06
``nnlib.optim``           GD trajectories, momentum, schedules, ``SGD``          06, 08
``nnlib.autograd``        the scalar Value engine and its drawn graphs           07
``nnlib.layers``          Linear, ReLU, Sigmoid, Tanh, Sequential, initialisers  07
``nnlib.gradcheck``       numerical gradients and gradient checking              07
``nnlib.train``           the training loop, history, progress bar, weights      08
``nnlib.mnist``           chapter 08's networks, runs over seeds, the table      08
``nnlib.plot``            the course's shared figures                            02
``nnlib.validate``        clear messages for bad input, used everywhere          all
``nnlib.explorers``       interactive explorers with book fallbacks              01–08
``nnlib.checks``          exercise checkers with diagnostic feedback             01–08
``nnlib.selfcheck``       ``python -m nnlib.selfcheck``: is a machine ready?     teachers
========================  =====================================================  =======
"""

__version__ = "0.1.0"
